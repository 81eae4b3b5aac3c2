import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, DatabaseLockedError } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { holdDatabase, waitFor } from './hold-database.ts';
import type { DatabaseHolder } from './hold-database.ts';

/** Runs for hours unless interrupted: 10^12 rows of a cross join. */
const SLOW_SQL = 'SELECT sum(a.range * b.range) AS answer FROM range(1000000) a CROSS JOIN range(1000000) b';

let project: TempProject | undefined;
let engine: Engine | undefined;
let holder: DatabaseHolder | undefined;
afterEach(async () => {
  await holder?.release();
  await engine?.close();
  await project?.cleanup();
  holder = undefined;
  engine = undefined;
  project = undefined;
});

describe('a database held by another process', () => {
  it('fails at once with DatabaseLockedError naming the file and the PID', async () => {
    project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
    holder = await holdDatabase(project.path('metrics.duckdb'));
    engine = createEngine({ cwd: project.dir });
    const error = await engine.validate().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect(error).toMatchObject({ code: 'DATABASE_LOCKED', file: project.path('metrics.duckdb'), pid: holder.pid, hint: expect.stringContaining('--wait') });
    expect((error as Error).message).toContain(`PID ${holder.pid}`);
  });

  it('with waitForLockMs, says it waits, and goes on once the other process lets go', async () => {
    project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
    holder = await holdDatabase(project.path('metrics.duckdb'));
    const warnings: string[] = [];
    engine = createEngine({ cwd: project.dir, waitForLockMs: 120_000, logger: { warn: (m) => warnings.push(m) } });
    const running = engine.run();
    await waitFor(() => warnings.length > 0, 'the lock warning');
    expect(warnings[0]).toMatch(new RegExp(`locked by another process .*PID ${holder.pid}.*; retrying for up to 120 s`));
    await holder.release();
    holder = undefined;
    expect((await running).metrics).toMatchObject([{ name: 'a', status: 'success' }]);
  });

  it('an abort stops the wait', async () => {
    project = await projectDir({});
    holder = await holdDatabase(project.path('metrics.duckdb'));
    const controller = new AbortController();
    engine = createEngine({ cwd: project.dir, waitForLockMs: 600_000, signal: controller.signal, logger: { warn: () => controller.abort() } });
    await expect(engine.history()).rejects.toMatchObject({ code: 'DATABASE_LOCKED' });
  });
});

describe('cancelling a run', () => {
  async function slowProject(): Promise<Engine> {
    project = await projectDir({
      'metrics/a_first.yaml': metricYaml({ metric_name: 'a_first', sql: 'SELECT 1 AS x' }),
      'metrics/z_slow.yaml': metricYaml({ metric_name: 'z_slow', sql: 'SELECT 42 AS answer' }),
      'metrics/zz_after.yaml': metricYaml({ metric_name: 'zz_after', sql: 'SELECT answer FROM z_slow' }),
    });
    engine = createEngine({ cwd: project.dir, config: { threads: 1 } });
    expect((await engine.run()).ok).toBe(true);
    await project.write({
      'metrics/a_first.yaml': metricYaml({ metric_name: 'a_first', sql: 'SELECT 2 AS x' }),
      'metrics/z_slow.yaml': metricYaml({ metric_name: 'z_slow', sql: SLOW_SQL }),
    });
    return engine;
  }

  it('interrupts the running statement, keeps its previous table and records the run as cancelled', async () => {
    const e = await slowProject();
    const controller = new AbortController();
    e.on('metric:start', (m) => m.name === 'z_slow' && controller.abort());
    const result = await e.run({ signal: controller.signal });
    expect(result.metrics.map((m) => [m.name, m.status, m.reason ?? ''])).toEqual([
      ['a_first', 'success', ''],
      ['z_slow', 'failed', 'cancelled'],
      ['zz_after', 'skipped', 'upstream failed: z_slow'],
    ]);
    expect(result.metrics[1]?.error?.code).toBe('SQL_INTERRUPT');
    expect(await e.query('SELECT answer FROM z_slow')).toEqual([{ answer: 42 }]);
    expect(await e.query('SELECT x FROM a_first')).toEqual([{ x: 2 }]);
    const [last] = await e.history({ limit: 1 });
    expect(last?.status).toBe('cancelled');
    const [slow] = await e.history({ name: 'z_slow', limit: 1 });
    expect(slow).toMatchObject({ status: 'failed', reason: 'cancelled' });
  });

  it("the engine's own signal does the same (what the CLI wires to SIGINT / SIGTERM)", async () => {
    project = await projectDir({ 'metrics/z_slow.yaml': metricYaml({ metric_name: 'z_slow', sql: SLOW_SQL }) });
    const controller = new AbortController();
    engine = createEngine({ cwd: project.dir, signal: controller.signal });
    // Abort a little after the build started, so the statement is (almost surely) running: either way it stops.
    engine.on('metric:start', () => setTimeout(() => controller.abort(), 500));
    const result = await engine.run();
    expect(result.metrics[0]?.error?.message).toMatch(/^INTERRUPT Error: Interrupted!/);
    expect(result.metrics).toMatchObject([{ name: 'z_slow', status: 'failed', reason: 'cancelled' }]);
    expect((await engine.history({ limit: 1 }))[0]?.status).toBe('cancelled');
  });
});

describe('a database that cannot be opened', () => {
  it('a path under a regular file: DATABASE_ERROR naming the file, nothing created', async () => {
    project = await projectDir({ 'not-a-folder': 'just a file\n', 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
    engine = createEngine({ cwd: project.dir, config: { database: 'not-a-folder/metrics.duckdb' } });
    await expect(engine.run()).rejects.toMatchObject({
      code: 'DATABASE_ERROR',
      file: project.path('not-a-folder', 'metrics.duckdb'),
      message: expect.stringContaining('Not a directory'),
      hint: expect.stringContaining('does not exist (or is a file)'),
    });
    expect(await readFile(project.path('not-a-folder'), 'utf8')).toBe('just a file\n');
    expect((await readdir(project.dir)).sort()).toEqual(['metrics', 'not-a-folder']);
  });

  it.runIf(existsSync('/dev/full'))('a full disk (/dev/full): DATABASE_ERROR that says so', async () => {
    project = await projectDir({});
    engine = createEngine({ cwd: project.dir, config: { database: '/dev/full' } });
    await expect(engine.validate()).rejects.toMatchObject({ code: 'DATABASE_ERROR', file: '/dev/full', message: expect.stringContaining('No space left on device'), hint: expect.stringContaining('disk is full') });
  });

  it('a file that is not a DuckDB database: DATABASE_ERROR, the file is left as it was', async () => {
    project = await projectDir({ 'metrics.duckdb': 'this is not a database, but someone might need it\n'.repeat(200) });
    engine = createEngine({ cwd: project.dir });
    await expect(engine.validate()).rejects.toMatchObject({ code: 'DATABASE_ERROR', file: project.path('metrics.duckdb') });
    expect(await readFile(project.path('metrics.duckdb'), 'utf8')).toBe('this is not a database, but someone might need it\n'.repeat(200));
  });
});
