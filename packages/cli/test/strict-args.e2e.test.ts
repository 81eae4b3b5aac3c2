// The command line is strict: stray arguments, unknown commands and unknown flags are usage errors (exit 2, code
// USAGE, a hint, no stack), checked before anything runs; misspellings get a did-you-mean; `-s a b` selects both.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import type { CliResult } from './run-cli.ts';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const files = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'metrics/weekly_revenue.yaml': metricYaml({ metric_name: 'weekly_revenue', sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
  'metrics/order_counts.yaml': metricYaml({ metric_name: 'order_counts', sql: 'SELECT customer_id, count(*) AS n FROM orders GROUP BY ALL' }),
  'metrics/big_orders.yaml': metricYaml({ metric_name: 'big_orders', sql: 'SELECT * FROM orders WHERE amount > 5' }),
};

/** A usage error as the CLI must print it: exit 2, `error USAGE message`, a hint, and no stack trace. */
function expectUsageError(r: CliResult, message: string | RegExp, hint: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  expect(first).toMatch(/^error USAGE /);
  expect(first).toMatch(message);
  expect(rest.join('\n')).toMatch(hint);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** Every command of `--help` with one argument too many (commands taking one get two). */
const STRAY: Record<string, string[]> = {
  init: ['init', 'a', 'b'],
  new: ['new', 'a', 'b'],
  setup: ['setup', 'orders'],
  validate: ['validate', 'weekly_revenue'],
  build: ['build', 'weekly_revenue'],
  run: ['run', 'weekly_revenue'],
  dev: ['dev', 'weekly_revenue'],
  schedule: ['schedule', 'weekly_revenue'],
  list: ['list', 'metrics'],
  show: ['show', 'weekly_revenue', 'order_counts'],
  query: ['query', 'SELECT', '1'],
  test: ['test', 'weekly_revenue'],
  history: ['history', 'weekly_revenue', 'order_counts'],
  docs: ['docs', 'site'],
  clean: ['clean', 'weekly_revenue'],
  plan: ['plan', 'weekly_revenue'],
  publish: ['publish', 'weekly_revenue'],
  rollback: ['rollback', 'weekly_revenue', 'order_counts'],
  serve: ['serve', 'weekly_revenue'],
  mcp: ['mcp', 'weekly_revenue'],
};

describe('stray positional arguments', () => {
  it('the cases cover every command --help lists', async () => {
    const help = await runCli(['--help'], process.cwd());
    const commands = help.stdout.split('Commands:')[1]!.split('For more info')[0]!.trim().split('\n').map((l) => l.trim().split(' ')[0]!);
    expect(commands.sort()).toEqual(Object.keys(STRAY).sort());
  });

  it.each(Object.entries(STRAY))('%s: a usage error naming what was found, before anything runs', async (command, args) => {
    project = await projectDir(files);
    const r = await runCli(args, project.dir);
    const limit = command === 'init' || command === 'new' || command === 'show' || command === 'query' || command === 'history' || command === 'rollback' ? 'takes one argument' : 'takes no arguments';
    expectUsageError(r, new RegExp(`duckmetrics ${command} ${limit}( \\([^)]+\\))?, found ${args.length - 1}: `), /hint: /);
    expect(existsSync(project.path('metrics.duckdb')), 'no database written').toBe(false);
    expect(existsSync(project.path('a')), 'init wrote nothing').toBe(false);
  });

  it('run weekly_revenue builds nothing and says to select it with -s', async () => {
    project = await projectDir(files);
    const r = await runCli(['run', 'weekly_revenue'], project.dir);
    expectUsageError(r, 'duckmetrics run takes no arguments, found 1: "weekly_revenue"', 'hint: to build or check only some metrics, select them: duckmetrics run -s weekly_revenue');
    const two = await runCli(['test', 'weekly_revenue', 'order_counts'], project.dir);
    expectUsageError(two, /found 2: "weekly_revenue" "order_counts"/, 'duckmetrics test -s weekly_revenue order_counts');
  });

  it('query says to quote the SQL; --json gives the error as JSON', async () => {
    project = await projectDir(files);
    expectUsageError(await runCli(['query', 'SELECT', '1'], project.dir), /query takes one argument \(<sql-or-metric>\)/, 'quote the SQL');
    const json = await runCli(['run', 'weekly_revenue', '--json'], project.dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', hint: expect.stringContaining('-s weekly_revenue') } });
  });
});

describe('unknown commands', () => {
  it.each([
    ['runn', 'run'],
    ['rn', 'run'],
    ['buld', 'build'],
    ['lst', 'list'],
    ['valdate', 'validate'],
    ['shw', 'show'],
    ['histroy', 'history'],
    ['clen', 'clean'],
    ['schedul', 'schedule'],
    ['setpu', undefined],
    ['frobnicate', undefined],
  ])('%s → %s', async (word, meant) => {
    const r = await runCli([word], process.cwd());
    expectUsageError(r, `unknown command "${word}"`, meant ? `did you mean duckmetrics ${meant}?` : 'duckmetrics --help for the list of commands');
  });

  it('a misspelt command after global flags is found too', async () => {
    expectUsageError(await runCli(['--cwd', '.', 'runn'], process.cwd()), 'unknown command "runn"', 'did you mean duckmetrics run?');
  });
});

describe('unknown flags', () => {
  it.each([
    [['run', '--ful-refresh'], '--full-refresh'],
    [['run', '--thread', '2'], '--threads'],
    [['run', '--no-check'], '--no-checks'],
    [['build', '--forse'], '--force'],
    [['validate', '--selct', 'x'], '--select'],
    [['run', '--exlude', 'x'], '--exclude'],
    [['list', '--jsn'], '--json'],
    [['show', 'x', '--limt', '2'], '--limit'],
    [['clean', '--al'], '--all'],
    [['docs', '--serv'], '--serve'],
    [['setup', '--prnue'], '--prune'],
    [['setup', '--frobnicate'], undefined],
    [['run', '--frobnicate'], undefined],
  ])('%j → %s', async (args, meant) => {
    const r = await runCli(args, process.cwd());
    const flag = args.find((a) => a.startsWith('-'))!;
    expectUsageError(r, `unknown flag ${flag} for duckmetrics ${args[0]}`, meant ? `did you mean ${meant}?` : `duckmetrics ${args[0]} --help lists its flags`);
  });

  it('a flag of another command says whose it is', async () => {
    expectUsageError(await runCli(['list', '--full-refresh'], process.cwd()), 'unknown flag --full-refresh for duckmetrics list', 'is a flag of build, run');
  });

  it('names the flag as typed, not camel-cased', async () => {
    const r = await runCli(['run', '--fullRefresh'], process.cwd());
    expect(r.stderr).toContain('--fullRefresh');
    expect(r.code).toBe(2);
  });
});

describe('-s with several values', () => {
  it('-s a b selects both, as in dbt; --select=a b and repeated -s too', async () => {
    project = await projectDir(files);
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    const built = (r: CliResult): string[] => (JSON.parse(r.stdout) as { metrics: Array<{ name: string; status: string }> }).metrics.filter((m) => m.status === 'success').map((m) => m.name).sort();
    expect(built(await runCli(['run', '-s', 'weekly_revenue', 'order_counts', '--json'], project.dir))).toEqual(['order_counts', 'weekly_revenue']);
    expect(built(await runCli(['run', '--full-refresh', '--select=big_orders', 'order_counts', '--no-checks', '--json'], project.dir))).toEqual(['big_orders', 'order_counts']);
    expect(built(await runCli(['run', '--full-refresh', '-s', 'big_orders', '-s', 'weekly_revenue', '--json'], project.dir))).toEqual(['big_orders', 'weekly_revenue']);
    const excluded = await runCli(['run', '--full-refresh', '--exclude', 'big_orders', 'order_counts', '--json'], project.dir);
    expect(built(excluded)).toEqual(['weekly_revenue']);
  });
});
