import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { holdDatabase, waitFor } from '../../core/test/hold-database.ts';
import type { DatabaseHolder } from '../../core/test/hold-database.ts';
import { BIN, runCli } from './run-cli.ts';

// Process-level faults, driven through the built CLI: a database held by another process, a run killed with
// SIGKILL, SIGINT and SIGTERM, a CSV that breaks halfway, a database path that cannot be written. No timing is
// asserted; every wait polls for a condition.

/** Runs for hours unless interrupted: 10^12 rows of a cross join, one row out. */
const SLOW_SQL = 'SELECT sum(a.range * b.range) AS answer FROM range(1000000) a CROSS JOIN range(1000000) b';

let project: TempProject | undefined;
let holder: DatabaseHolder | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await holder?.release();
  await project?.cleanup();
  holder = undefined;
  child = undefined;
  project = undefined;
});

interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnCli(args: string[], cwd: string): Spawned {
  const c = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = c;
  let out = '';
  let err = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => c.on('close', (code, signal) => resolve({ code, signal })));
  return { child: c, stdout: () => out, stderr: () => err, exit };
}

/** Reads the project database with the engine (after the CLI let go of it). */
async function query<T = Record<string, unknown>>(dir: string, sql: string): Promise<T[]> {
  const engine = createEngine({ cwd: dir });
  try {
    return await engine.query<T>(sql);
  } finally {
    await engine.close();
  }
}

const orders = 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n';

/** A project whose last metric (`z_slow`, by name order with one thread) has a previous table `answer = 42`. */
async function projectWithSlowMetric(): Promise<TempProject> {
  project = await projectDir({
    'data/orders.csv': orders,
    'metrics/a_first.yaml': metricYaml({ metric_name: 'a_first', sql: 'SELECT count(*) AS n FROM orders' }),
    'metrics/b_second.yaml': metricYaml({ metric_name: 'b_second', sql: 'SELECT sum(amount) AS total FROM orders' }),
    'metrics/z_slow.yaml': metricYaml({ metric_name: 'z_slow', sql: 'SELECT 42 AS answer' }),
  });
  expect((await runCli(['setup'], project.dir)).code).toBe(0);
  expect((await runCli(['run'], project.dir)).code).toBe(0);
  // New definitions: a_first and b_second are rebuilt first, then z_slow starts and runs until it is stopped.
  await project.write({
    'metrics/a_first.yaml': metricYaml({ metric_name: 'a_first', sql: 'SELECT count(*) + 100 AS n FROM orders' }),
    'metrics/b_second.yaml': metricYaml({ metric_name: 'b_second', sql: 'SELECT sum(amount) + 100 AS total FROM orders' }),
    'metrics/z_slow.yaml': metricYaml({ metric_name: 'z_slow', sql: SLOW_SQL }),
  });
  return project;
}

describe('another process holds the database', () => {
  it('exits 2 with DATABASE_LOCKED naming the file and the PID (text and --json)', async () => {
    project = await projectDir({ 'data/orders.csv': orders });
    holder = await holdDatabase(project.path('metrics.duckdb'));
    const text = await runCli(['setup'], project.dir);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('DATABASE_LOCKED');
    expect(text.stderr).toContain(project.path('metrics.duckdb'));
    expect(text.stderr).toContain(`PID ${holder.pid}`);
    expect(text.stderr).toContain('--wait');
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const json = await runCli(['validate', '--json'], project.dir);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'DATABASE_LOCKED', file: project.path('metrics.duckdb'), pid: holder.pid } });
  });

  it('--wait SECONDS retries until the other process lets go', async () => {
    project = await projectDir({ 'data/orders.csv': orders });
    holder = await holdDatabase(project.path('metrics.duckdb'));
    const setup = spawnCli(['setup', '--wait', '300'], project.dir);
    await waitFor(() => setup.stderr().includes('retrying for up to 300 s'), 'the CLI to report that it waits');
    expect(setup.stderr()).toContain(`PID ${holder.pid}`);
    await holder.release();
    holder = undefined;
    expect((await setup.exit).code).toBe(0);
    expect(setup.stdout()).toMatch(/✓ orders\s+3 rows/);
  });

  it('--wait must be a number of seconds', async () => {
    project = await projectDir({});
    const bad = await runCli(['validate', '--wait', 'soon'], project.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--wait must be a number of seconds');
  });
});

describe('a run killed with SIGKILL in the middle', () => {
  it('leaves a database that opens, with every table built before intact, the interrupted metric unchanged, and the next run completes', async () => {
    const dir = (await projectWithSlowMetric()).dir;
    const run = spawnCli(['run', '--threads', '1'], dir);
    await waitFor(() => /✓ b_second/.test(run.stdout()), 'a_first and b_second to be built');
    run.child.kill('SIGKILL');
    expect(await run.exit).toMatchObject({ signal: 'SIGKILL' });

    expect(await query(dir, 'SELECT (SELECT n FROM a_first) AS n, (SELECT total FROM b_second) AS total, (SELECT answer FROM z_slow) AS answer')).toEqual([
      { n: 103, total: 117, answer: 42 },
    ]);
    expect(await query(dir, 'SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
    // No staging table or half-built table left behind.
    expect((await query<{ t: string }>(dir, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).map((r) => r.t)).toEqual(['a_first', 'b_second', 'orders', 'z_slow']);
    const history = JSON.parse((await runCli(['history', '--json'], dir)).stdout) as { entries: Array<{ status: string }> };
    expect(history.entries.map((e) => e.status)).toEqual(['interrupted', 'success']);

    // The killed run's builds were never recorded: the next run cannot vouch for their tables and builds them
    // again (state/builds.ts, the build journal's intents); then everything is up to date.
    await writeFile(`${dir}/metrics/z_slow.yaml`, metricYaml({ metric_name: 'z_slow', sql: 'SELECT 43 AS answer' }));
    const outcomes = async (): Promise<string[][]> => {
      const next = await runCli(['run', '--json'], dir);
      expect(next.code).toBe(0);
      return (JSON.parse(next.stdout) as { metrics: Array<{ name: string; status: string; reason?: string }> }).metrics.map((m) => [m.name, m.status, m.reason ?? '']);
    };
    expect(await outcomes()).toEqual([['a_first', 'success', ''], ['b_second', 'success', ''], ['z_slow', 'success', '']]);
    expect(await query(dir, 'SELECT (SELECT n FROM a_first) AS n, (SELECT total FROM b_second) AS total, (SELECT answer FROM z_slow) AS answer')).toEqual([
      { n: 103, total: 117, answer: 43 },
    ]);
    expect(await outcomes()).toEqual([['a_first', 'skipped', 'up to date'], ['b_second', 'skipped', 'up to date'], ['z_slow', 'skipped', 'up to date']]);
  });
});

describe('SIGINT and SIGTERM during a run', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: interrupts the running statement, records the run as cancelled, exits ${code}`, async () => {
      const dir = (await projectWithSlowMetric()).dir;
      const run = spawnCli(['run', '--threads', '1'], dir);
      await waitFor(() => /✓ b_second/.test(run.stdout()), 'a_first and b_second to be built');
      run.child.kill(signal);
      expect(await run.exit).toEqual({ code, signal: null });
      expect(run.stderr()).toContain(signal === 'SIGINT' ? 'interrupted' : 'terminated');
      // The statement it stopped is cancelled, not failed, and its "Interrupted!" is no error to show; one summary.
      expect(run.stdout()).toMatch(/– z_slow\s+cancelled/);
      expect(run.stdout()).not.toMatch(/INTERRUPT|failed:/);
      expect(run.stdout().match(/^Cancelled in .*: 2 built, 0 failed, 0 skipped, 1 cancelled$/gm)).toHaveLength(1);
      expect(run.stdout() + run.stderr()).not.toMatch(/\n\s+at .*\.js:\d+/);

      const runs = JSON.parse((await runCli(['history', '--json'], dir)).stdout) as { entries: Array<{ status: string; built: number }> };
      expect(runs.entries[0]).toMatchObject({ status: 'cancelled', built: 2 });
      const slow = JSON.parse((await runCli(['history', 'z_slow', '--json'], dir)).stdout) as { entries: Array<{ reason: string }> };
      expect(slow.entries[0]?.reason).toBe('cancelled');
      expect(await query(dir, 'SELECT (SELECT n FROM a_first) AS n, (SELECT answer FROM z_slow) AS answer')).toEqual([{ n: 103, answer: 42 }]);
    });
  }
});

describe('a CSV that fails to parse halfway', () => {
  it('setup exits 1 naming the file and line; the table keeps its previous rows', async () => {
    const good = Array.from({ length: 30_000 }, (_, i) => `${i + 1},${i % 97},${(i % 13) + 0.5}`);
    project = await projectDir({ 'data/orders.csv': `order_id,customer_id,amount\n${good.join('\n')}\n` });
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    // Past DuckDB's type-sniffing sample (20,480 rows): the bad value is met while loading, not while sniffing.
    const broken = [...good.slice(0, 25_000), '25001,5,not-a-number', ...good.slice(25_001)];
    await writeFile(project.path('data/orders.csv'), `order_id,customer_id,amount\n${broken.join('\n')}\n`);
    const setup = await runCli(['setup'], project.dir);
    expect(setup.code).toBe(1);
    expect(setup.stdout).toContain('data/orders.csv:25002');
    expect(setup.stdout).toContain('CSV_LOAD_FAILED');
    expect(setup.stdout + setup.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await query(project.dir, 'SELECT count(*) AS n FROM orders')).toEqual([{ n: 30_000 }]);
  });
});

describe('a database path that cannot be written', () => {
  it('a folder that is a regular file: exit 2, DATABASE_ERROR naming the file, nothing written', async () => {
    project = await projectDir({ 'data/orders.csv': orders, 'not-a-folder': 'a file\n', 'metrics.config.json': JSON.stringify({ database: 'not-a-folder/metrics.duckdb' }) });
    const r = await runCli(['setup'], project.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DATABASE_ERROR');
    expect(r.stderr).toContain(project.path('not-a-folder', 'metrics.duckdb'));
    expect(r.stderr).toContain('hint:');
    expect(await readFile(project.path('not-a-folder'), 'utf8')).toBe('a file\n');
    expect((await readdir(project.dir)).sort()).toEqual(['data', 'metrics.config.json', 'not-a-folder']);
  });

  it.runIf(existsSync('/dev/full'))('a full disk (/dev/full): exit 2 with the reason and a hint', async () => {
    project = await projectDir({ 'metrics.config.json': JSON.stringify({ database: '/dev/full' }) });
    const r = await runCli(['run', '--json'], project.dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR', file: '/dev/full', message: expect.stringContaining('No space left on device'), hint: expect.stringContaining('disk is full') } });
  });
});
