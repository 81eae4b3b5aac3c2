import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const files = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue\nFROM orders\nGROUP BY ALL' }),
  'metrics/orders_per_customer.yaml': metricYaml({ metric_name: 'orders_per_customer', sql: 'SELECT customer_id, count(*) AS n FROM orders GROUP BY ALL' }),
};

describe('duckmetrics CLI (built) in a temp project', () => {
  it('setup, validate, run and clean with exit code 0', async () => {
    project = await projectDir(files);
    const setup = await runCli(['setup'], project.dir);
    expect(setup).toMatchObject({ code: 0 });
    expect(setup.stdout).toMatch(/✓ orders\s+3 rows/);
    const validate = await runCli(['validate'], project.dir);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('2 valid');
    const run = await runCli(['run'], project.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ revenue\s+2 rows/);
    expect(run.stdout).toContain('2 built, 0 failed, 0 skipped');
    const clean = await runCli(['clean'], project.dir);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Dropped 2 tables');
  });

  it('--json prints only the result object on stdout', async () => {
    project = await projectDir(files);
    await runCli(['setup'], project.dir);
    const run = await runCli(['run', '--json'], project.dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; metrics: Array<{ name: string; status: string; rows: number; file: string }> };
    expect(result.ok).toBe(true);
    expect(result.metrics.map((m) => [m.name, m.status, m.rows, m.file])).toEqual([
      ['orders_per_customer', 'success', 2, 'metrics/orders_per_customer.yaml'],
      ['revenue', 'success', 2, 'metrics/revenue.yaml'],
    ]);
    const validate = JSON.parse((await runCli(['validate', '--json', '--cwd', project.dir], '/')).stdout) as { ok: boolean };
    expect(validate.ok).toBe(true);
  });

  it('exits 1 when a metric is invalid, and prints file:line:column without a stack', async () => {
    project = await projectDir({ ...files, 'metrics/broken.yaml': metricYaml({ metric_name: 'broken', sql: 'SELECT nope\nFROM orders' }) });
    await runCli(['setup'], project.dir);
    const run = await runCli(['run'], project.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('metrics/broken.yaml:6:10 error SQL_BINDER');
    expect(run.stdout).toContain('2 built, 1 failed');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    const json = JSON.parse((await runCli(['validate', '--json'], project.dir)).stdout) as { metrics: Array<{ status: string; errors: Array<{ line: number }> }> };
    expect(json.metrics.find((m) => m.status === 'invalid')?.errors[0]?.line).toBe(6);
  });

  it('exits 2 on a broken config, naming the file', async () => {
    project = await projectDir({ ...files, 'metrics.config.json': '{ "database": ' });
    const r = await runCli(['validate'], project.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('metrics.config.json');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await runCli(['validate', '--json'], project.dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('exits 2 on usage errors and prints help and version', async () => {
    project = await projectDir({});
    expect((await runCli(['frobnicate'], project.dir)).code).toBe(2);
    expect((await runCli(['run', '--nope'], project.dir)).code).toBe(2);
    const help = await runCli(['--help'], project.dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('setup');
    const version = await runCli(['--version'], project.dir);
    expect(version.stdout).toMatch(/^duckmetrics\/\d+\.\d+\.\d+ \S+ node-v\d+/);
    // `--version` alone is answered before cac loads; any other spelling goes through cac: the same line.
    for (const spelling of [['-v'], ['--cwd', project.dir, '--version'], ['--version', '--debug']]) {
      const other = await runCli(spelling, project.dir);
      expect({ code: other.code, stdout: other.stdout }, spelling.join(' ')).toEqual({ code: 0, stdout: version.stdout });
    }
    // `--help`, `-h` and no arguments print the page the build wrote from cac (dist/help.txt); cac's own is the same.
    const fromCac = await runCli(['--cwd', project.dir, '--help'], project.dir);
    expect(fromCac.stdout).toMatch(/^duckmetrics\/\d+\.\d+\.\d+\n\nUsage:\n/);
    for (const command of ['run', 'validate', 'setup', 'docs', 'history']) expect(fromCac.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const spelling of [['--help'], ['-h'], []]) {
      const other = await runCli(spelling, project.dir);
      expect({ code: other.code, stdout: other.stdout, stderr: other.stderr }, spelling.join(' ') || 'no arguments').toEqual({ code: 0, stdout: fromCac.stdout, stderr: '' });
    }
  });

  it('clean --all refuses without --yes when stdin is not a terminal, and keeps sources', async () => {
    project = await projectDir(files);
    await runCli(['setup'], project.dir);
    const refused = await runCli(['clean', '--all'], project.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const done = await runCli(['clean', '--all', '--yes', '--json'], project.dir);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, dropped: ['orders'] });
  });
});

describe('duckmetrics run selection, skip-unchanged and history', () => {
  it('selects with -s and --exclude, skips what is up to date, and shows history', async () => {
    project = await projectDir({
      ...files,
      'metrics/top.yaml': metricYaml({ metric_name: 'top', tags: ['crm'], sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
    });
    await runCli(['setup'], project.dir);
    const first = JSON.parse((await runCli(['run', '-s', '+top', '--json'], project.dir)).stdout) as { metrics: Array<{ name: string; status: string; reason?: string }> };
    expect(first.metrics.map((m) => [m.name, m.status, m.reason ?? ''])).toEqual([
      ['orders_per_customer', 'skipped', 'not selected'],
      ['revenue', 'success', ''],
      ['top', 'success', ''],
    ]);
    const second = await runCli(['run', '--exclude', 'tag:crm'], project.dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/– revenue\s+up to date \(2 rows\)/);
    // The metric left out gets no line of its own: the totals count it.
    expect(second.stdout).toContain('1 built, 0 failed, 2 skipped (1 up to date, 1 not selected)');
    expect(second.stdout).not.toMatch(/^– top/m);
    const history = await runCli(['history', '--json'], project.dir);
    expect((JSON.parse(history.stdout) as { entries: unknown[] }).entries).toHaveLength(2);
    const one = await runCli(['history', 'revenue'], project.dir);
    expect(one.stdout).toMatch(/skipped\s+2 rows/);
    expect((await runCli(['run', '-s', 'nope'], project.dir)).code).toBe(2);
  });
});

describe('duckmetrics test', () => {
  it('prints failing checks with sample rows, exits 1, and gives --json', async () => {
    const checked = (values: string): string =>
      `${metricYaml({ metric_name: 'by_customer', sql: 'SELECT customer_id, count(*) AS n FROM orders GROUP BY ALL' })}columns:\n  - name: customer_id\n    checks:\n      - not_null\n      - accepted_values: [${values}]\n`;
    project = await projectDir({ ...files, 'metrics/by_customer.yaml': checked('10, 11') });
    await runCli(['setup'], project.dir);
    expect((await runCli(['run'], project.dir)).code).toBe(0);
    expect((await runCli(['test'], project.dir)).code).toBe(0);
    await project.write({ 'metrics/by_customer.yaml': checked('10') });
    const human = await runCli(['test', '-s', 'by_customer'], project.dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✗ by_customer › accepted_values\(customer_id\)\s+accepted_values\(customer_id\) failed: 1 row/);
    expect(human.stdout).toContain('"customer_id":11');
    const json = JSON.parse((await runCli(['test', '--json'], project.dir)).stdout) as { ok: boolean; checks: Array<Record<string, unknown>> };
    expect(json.ok).toBe(false);
    expect(json.checks.map((c) => [c.metric, c.column, c.check, c.severity, c.status, c.failingRows])).toEqual([
      ['by_customer', 'customer_id', 'not_null(customer_id)', 'error', 'pass', 0],
      ['by_customer', 'customer_id', 'accepted_values(customer_id)', 'error', 'fail', 1],
    ]);
    // The edited check makes the run rebuild, audit, fail and keep the old table.
    const run = await runCli(['run'], project.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/metrics\/by_customer\.yaml:11:9 error CHECK_FAILED/);
  });
});
