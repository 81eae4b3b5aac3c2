// Snapshots through the built CLI: show --as-of and query --as-of at each build, clean keeps versions unless
// --snapshots (with confirmation), and a run killed with SIGKILL mid-build leaves the table and its versions consistent.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { waitFor } from '../../core/test/hold-database.ts';
import { BIN, runCli } from './run-cli.ts';

let project: TempProject | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await project?.cleanup();
  child = project = undefined;
});

const ltv = (sql = 'SELECT id, sum(amount) AS ltv FROM orders GROUP BY id'): string => metricYaml({ metric_name: 'ltv', snapshot: { key: ['id'] }, sql });
const at = (iso: string) => ({ DUCKMETRICS_NOW: iso });

async function query<T = Record<string, unknown>>(dir: string, sql: string): Promise<T[]> {
  const engine = createEngine({ cwd: dir });
  try {
    return await engine.query<T>(sql);
  } finally {
    await engine.close();
  }
}

describe('duckmetrics show / query --as-of', () => {
  it('prints the rows as published at each time; a bad time and a metric without snapshot are usage errors with the fix', async () => {
    project = await projectDir({ 'data/orders.csv': 'id,amount\n1,10\n2,20\n', 'metrics/ltv.yaml': ltv(), 'metrics/plain.yaml': metricYaml({ metric_name: 'plain', sql: 'SELECT 1 AS x' }) });
    expect((await runCli(['build'], project.dir, at('2026-01-01T00:00:00Z'))).code).toBe(0);
    await project.write({ 'data/orders.csv': 'id,amount\n1,10\n1,5\n3,7\n' });
    expect((await runCli(['build'], project.dir, at('2026-02-01T00:00:00Z'))).code).toBe(0);

    const jan = JSON.parse((await runCli(['show', 'ltv', '--as-of', '2026-01-15', '--json'], project.dir)).stdout) as { asOf: string; rowCount: number; rows: unknown[] };
    expect(jan).toMatchObject({ asOf: '2026-01-15 00:00:00+00', rowCount: 2 });
    expect(jan.rows).toEqual(expect.arrayContaining([{ id: 1, ltv: 10 }, { id: 2, ltv: 20 }]));
    const text = await runCli(['show', 'ltv', '--as-of', '2026-02-02'], project.dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('As published at 2026-02-02 00:00:00+00');
    expect(text.stdout).toMatch(/First 2 of 2 rows/);
    const before = await runCli(['show', 'ltv', '--as-of', '2020-01-01'], project.dir);
    expect(before.stdout).toContain('no rows: nothing was published by then');

    const q = await runCli(['query', '--as-of', '2026-01-15', 'SELECT sum(ltv)::INTEGER AS total, (SELECT x FROM plain) AS x FROM ltv'], project.dir);
    expect(q.code).toBe(0);
    expect(q.stdout).toMatch(/total\s+x\s*\n.*30\s+1/);
    expect(q.stdout).toContain('as of 2026-01-15 00:00:00+00: ltv read from snapshots');
    expect((await runCli(['query', 'SELECT sum(ltv)::INTEGER AS total FROM ltv', '--json'], project.dir)).stdout).toContain('"total": 22');

    const bad = await runCli(['query', '--as-of', "2026'; DROP TABLE ltv; --", 'SELECT * FROM ltv'], project.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of needs a time DuckDB can read');
    const plain = await runCli(['show', 'plain', '--as-of', '2026-01-15'], project.dir);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain('add snapshot: true');
    expect(await query(project.dir, 'SELECT count(*)::INTEGER AS n FROM ltv')).toEqual([{ n: 2 }]);
  });
});

describe('duckmetrics clean and snapshots', () => {
  it('keeps every version (even with --all) unless --snapshots, which needs --yes off a terminal', async () => {
    project = await projectDir({ 'data/orders.csv': 'id,amount\n1,10\n', 'metrics/ltv.yaml': ltv() });
    expect((await runCli(['build'], project.dir)).code).toBe(0);
    expect((await runCli(['clean'], project.dir)).code).toBe(0);
    expect((await runCli(['clean', '--all', '--yes'], project.dir)).code).toBe(0);
    expect(await query(project.dir, 'SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 1 }]);
    // The rebuild after clean finds the same row: no new version.
    expect((await runCli(['build'], project.dir)).code).toBe(0);
    expect(await query(project.dir, 'SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 1 }]);
    const refused = await runCli(['clean', '--snapshots'], project.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('needs confirmation');
    const dropped = await runCli(['clean', '--snapshots', '--yes', '--json'], project.dir);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ ok: true, dropped: ['ltv', 'snapshots.ltv'] });
    expect(await query(project.dir, "SELECT count(*)::INTEGER AS n FROM information_schema.schemata WHERE schema_name = 'snapshots'")).toEqual([{ n: 0 }]);
  });
});

describe('a run killed with SIGKILL while a snapshotted metric builds', () => {
  it('leaves the table and its versions as the last committed build had them, and the next run writes the next version', async () => {
    const first = (n: number) => metricYaml({ metric_name: 'a_first', sql: `SELECT ${n} AS n` });
    project = await projectDir({ 'data/orders.csv': 'id,amount\n1,10\n2,20\n', 'metrics/ltv.yaml': ltv(), 'metrics/a_first.yaml': first(1) });
    expect((await runCli(['build'], project.dir)).code).toBe(0);
    // a_first is rebuilt first; then ltv's build would take hours unless killed.
    await project.write({ 'metrics/a_first.yaml': first(2), 'metrics/ltv.yaml': ltv('SELECT id, sum(amount) AS ltv FROM orders, (SELECT count(*) AS n FROM range(1000000) a CROSS JOIN range(1000000) b) GROUP BY id') });
    const c = spawn(process.execPath, [BIN, 'run', '--threads', '1'], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let err = '';
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise((resolve) => c.on('close', (code, signal) => resolve({ code, signal })));
    await waitFor(() => /✓ a_first/.test(out + err), 'a_first to be built');
    c.kill('SIGKILL');
    expect(await exit).toMatchObject({ signal: 'SIGKILL' });
    expect(await query(project.dir, 'SELECT id, ltv, _valid_to FROM snapshots.ltv ORDER BY id')).toEqual([{ id: 1, ltv: 10, _valid_to: null }, { id: 2, ltv: 20, _valid_to: null }]);
    expect(await query(project.dir, 'SELECT id, ltv FROM ltv ORDER BY id')).toEqual([{ id: 1, ltv: 10 }, { id: 2, ltv: 20 }]);
    await project.write({ 'metrics/ltv.yaml': ltv('SELECT id, sum(amount) * 2 AS ltv FROM orders GROUP BY id') });
    expect((await runCli(['run'], project.dir)).code).toBe(0);
    expect(await query(project.dir, 'SELECT n FROM a_first')).toEqual([{ n: 2 }]);
    expect(await query(project.dir, 'SELECT id, ltv FROM snapshots.ltv WHERE _valid_to IS NULL ORDER BY id')).toEqual([{ id: 1, ltv: 20 }, { id: 2, ltv: 40 }]);
    expect(await query(project.dir, 'SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 4 }]);
  });
});
