// Snapshots on real DuckDB files: versions written inside the build's transaction (run and publish), keyed and
// unkeyed over three builds, as-of reads, failed audits and killed runs, retention, schema changes, downstream reads.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

// The source `people` is whatever `rows` holds when it is loaded: (id, segment, ltv).
let rows: Array<[number, string | null, number]> = [];
const people = definePlugin({
  name: 'people',
  async loadSources(ctx) {
    const values = rows.map(([id, seg, ltv]) => `(${id}, ${seg === null ? 'NULL' : `'${seg}'`}, ${ltv})`).join(', ');
    await ctx.db.run(`CREATE OR REPLACE TABLE people AS SELECT * FROM (VALUES ${values}) t(id, segment, ltv)`);
    return [{ name: 'people', rows: rows.length, fingerprint: JSON.stringify(rows) }];
  },
});
const T1 = new Date('2026-01-01T00:00:00Z');
const T2 = new Date('2026-02-01T00:00:00Z');
const T3 = new Date('2026-03-01T00:00:00Z');
const ltv = (snapshot: unknown, sql = 'SELECT id, segment, ltv FROM people', extra: Record<string, unknown> = {}): string => metricYaml({ metric_name: 'ltv', sql, snapshot, ...extra });

const open = async (files: Record<string, string>): Promise<Engine> => {
  project = await projectDir(files);
  engine = createEngine({ cwd: project.dir, config: { plugins: [people], threads: 1 } });
  return engine;
};
/** Loads `next` as the source and runs at `now`. */
const build = async (e: Engine, next: typeof rows, now: Date, options: { fullRefresh?: boolean } = {}) => {
  rows = next;
  await e.load();
  return e.run({ now, ...options });
};
const versions = async (e: Engine, name = 'ltv') =>
  e.query<Record<string, unknown>>(`SELECT id, segment, ltv, strftime(_valid_from, '%m') AS valid_from, strftime(_valid_to, '%m') AS valid_to FROM snapshots.${name} ORDER BY id, _valid_from`);

const B1: typeof rows = [[1, 'a', 10], [2, 'b', 20], [3, null, 30]];
const B2: typeof rows = [[1, 'a', 11], [2, 'b', 20], [3, null, 30], [4, 'c', 40]]; // 1 changed, 4 new
const B3: typeof rows = [[1, 'a', 11], [3, 'x', 30], [4, 'c', 40]]; // 2 removed, 3 changed (NULL → x)

describe('snapshots', () => {
  it('keyed: changed keys get a new version, new keys a row, removed keys are closed; NULLs compare as values', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }) });
    const r1 = await build(e, B1, T1);
    expect(r1.ok).toBe(true);
    expect(r1.metrics[0]!.snapshot).toEqual({ changed: 0, added: 3, removed: 0, expired: 0 });
    const r2 = await build(e, B2, T2);
    expect(r2.metrics[0]!.snapshot).toEqual({ changed: 1, added: 1, removed: 0, expired: 0 });
    const r3 = await build(e, B3, T3);
    expect(r3.metrics[0]!.snapshot).toEqual({ changed: 1, added: 0, removed: 1, expired: 0 });
    expect(await versions(e)).toEqual([
      { id: 1, segment: 'a', ltv: 10, valid_from: '01', valid_to: '02' },
      { id: 1, segment: 'a', ltv: 11, valid_from: '02', valid_to: null },
      { id: 2, segment: 'b', ltv: 20, valid_from: '01', valid_to: '03' },
      { id: 3, segment: null, ltv: 30, valid_from: '01', valid_to: '03' },
      { id: 3, segment: 'x', ltv: 30, valid_from: '03', valid_to: null },
      { id: 4, segment: 'c', ltv: 40, valid_from: '02', valid_to: null },
    ]);
    // A run with nothing changed skips the build: no version.
    expect((await e.run({ now: new Date('2026-04-01T00:00:00Z') })).metrics[0]!.reason).toBe('up to date');
    // --full-refresh rebuilds; the versions stay, and unchanged keys get no new row.
    const full = await e.run({ now: new Date('2026-04-01T00:00:00Z'), fullRefresh: true });
    expect(full.metrics[0]!.snapshot).toEqual({ changed: 0, added: 0, removed: 0, expired: 0 });
    expect(await versions(e)).toHaveLength(6);
    // The catalog's versions over time, computed in DuckDB from the snapshot table.
    const { snapshot } = (await e.catalog()).metrics.find((m) => m.name === 'ltv')!;
    expect(snapshot).toEqual({ key: ['id'], versions: [
      { at: '2026-01-01T00:00:00.000Z', rows: 3, changed: 0, added: 3, removed: 0 },
      { at: '2026-02-01T00:00:00.000Z', rows: 4, changed: 1, added: 1, removed: 0 },
      { at: '2026-03-01T00:00:00.000Z', rows: 3, changed: 1, added: 0, removed: 1 },
    ] });
  });

  it('unkeyed: each build closes every current row and adds the new ones', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv(true) });
    await build(e, B1, T1);
    await build(e, B2, T2);
    const r3 = await build(e, B3, T3);
    expect(r3.metrics[0]!.snapshot).toEqual({ changed: 0, added: 3, removed: 4, expired: 0 });
    const all = await versions(e);
    expect(all).toHaveLength(3 + 4 + 3);
    expect(all.filter((v) => v.valid_to === null).map((v) => v.id)).toEqual([1, 3, 4]);
    expect(all.filter((v) => v.valid_from === '02').every((v) => v.valid_to === '03')).toBe(true);
    expect((await e.catalog()).metrics[0]!.snapshot!.versions.map((v) => [v.rows, v.changed, v.added, v.removed])).toEqual([[3, 0, 3, 0], [4, 0, 4, 3], [3, 0, 3, 4]]);
  });

  it('a failed audit, a failed unit test and a duplicate key write no version and keep the table', async () => {
    const checked = (extra: Record<string, unknown>) => ltv({ key: ['id'] }, 'SELECT id, segment, ltv FROM people', extra);
    const e = await open({ 'metrics/ltv.yaml': checked({ checks: [{ expression: 'ltv < 100' }] }) });
    await build(e, B1, T1);
    const failed = await build(e, [[1, 'a', 500]], T2);
    expect(failed.metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
    expect(failed.metrics[0]!.snapshot).toBeUndefined();
    const duplicated = await build(e, [[1, 'a', 10], [1, 'b', 11], [2, 'b', 20]], T2);
    expect(duplicated.metrics[0]).toMatchObject({ status: 'failed', reason: 'snapshot failed' });
    expect(duplicated.metrics[0]!.error).toMatchObject({ code: 'SNAPSHOT', file: 'metrics/ltv.yaml', message: expect.stringContaining('snapshot.key (id) is not unique: 1 row repeats a key, e.g. {"id":1}') });
    await project!.write({ 'metrics/ltv.yaml': checked({ tests: [{ name: 'doubles', given: { people: [{ id: 1, segment: 'a', ltv: 1 }] }, expect: [{ id: 1, segment: 'a', ltv: 2 }] }] }) });
    const untested = await build(e, B2, T2);
    expect(untested.metrics[0]).toMatchObject({ status: 'failed', reason: 'unit test failed' });
    expect(await versions(e)).toEqual([
      { id: 1, segment: 'a', ltv: 10, valid_from: '01', valid_to: null },
      { id: 2, segment: 'b', ltv: 20, valid_from: '01', valid_to: null },
      { id: 3, segment: null, ltv: 30, valid_from: '01', valid_to: null },
    ]);
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM ltv')).toEqual([{ n: 3 }]);
  });

  it('a first version trusts the key only when passing error checks prove it: unique and not_null on a key column', async () => {
    const withChecks = (checks: unknown[], column = 'id') => ltv({ key: ['id'] }, 'SELECT id, segment, ltv FROM people', { columns: [{ name: column, checks }] });
    // Proven: the version is written from the build, its keys counted from the build's rows.
    const fresh = async (yaml: string): Promise<Engine> => {
      await engine?.close();
      await project?.cleanup();
      return open({ 'metrics/ltv.yaml': yaml });
    };
    let e = await fresh(withChecks(['not_null', 'unique']));
    expect((await build(e, B1, T1)).metrics[0]).toMatchObject({ status: 'success', snapshot: { added: 3, changed: 0, removed: 0 } });
    expect(await versions(e)).toHaveLength(3);
    // A duplicate the checks see fails the audit: no version.
    e = await fresh(withChecks(['not_null', 'unique']));
    expect((await build(e, [[1, 'a', 10], [1, 'b', 11]], T1)).metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
    // Not proven, so counted: a warn check, one of the two alone, checks on another column, checks turned off.
    const twice: typeof rows = [[1, 'a', 10], [1, 'b', 11]];
    const nullTwice = [[1, 'a', 10], [null, 'c', 12], [null, 'd', 13]] as unknown as typeof rows; // unique passes: NULLs are not values to it
    const unproven: Array<[string, string, typeof rows, { checks?: boolean }]> = [
      ['warn unique', withChecks(['not_null', { unique: { severity: 'warn' } }]), twice, {}],
      ['unique alone', withChecks(['unique']), nullTwice, {}],
      ['not_null alone', withChecks(['not_null']), twice, {}],
      ['another column', withChecks(['not_null', 'unique'], 'ltv'), twice, {}],
      ['--no-checks', withChecks(['not_null', 'unique']), twice, { checks: false }],
    ];
    for (const [what, yaml, next, options] of unproven) {
      e = await fresh(yaml);
      rows = next;
      await e.load();
      const r = await e.run({ now: T1, ...options });
      expect(r.metrics[0], what).toMatchObject({ status: 'failed', reason: 'snapshot failed', error: { code: 'SNAPSHOT', message: expect.stringContaining('snapshot.key (id) is not unique') } });
      expect(await e.query('SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = \'snapshots\''), what).toEqual([{ n: 0 }]);
    }
  });

  it('a key repeated in any way is a SNAPSHOT error (first build, unchanged or changed copies, new keys, NULL keys); the versions stay', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }) });
    expect((await build(e, [[1, 'a', 10], [1, 'a', 10]], T1)).metrics[0]!.error).toMatchObject({ code: 'SNAPSHOT', message: expect.stringContaining('not unique: 1 row repeats a key') });
    await build(e, [[1, 'a', 10], [2, 'b', 20]], T1);
    const cases: Array<typeof rows> = [
      [[1, 'a', 10], [1, 'a', 10], [2, 'b', 20]], // both copies unchanged
      [[1, 'a', 10], [1, 'a', 11], [2, 'b', 20]], // one unchanged, one changed
      [[1, 'a', 12], [1, 'a', 11], [2, 'b', 20]], // both changed
      [[1, 'a', 10], [2, 'b', 20], [5, 'x', 1], [5, 'y', 2]], // a new key twice
      [[1, 'a', 10], [2, 'b', 20], [3, null, 1], [3, null, 1]], // a new key twice, unchanged between copies
    ];
    for (const [i, next] of cases.entries()) {
      const r = await build(e, next, new Date(Date.UTC(2026, 1, i + 1)));
      expect(r.metrics[0], `case ${i}`).toMatchObject({ status: 'failed', reason: 'snapshot failed', error: { code: 'SNAPSHOT', message: expect.stringContaining('snapshot.key (id) is not unique') } });
    }
    expect(await versions(e)).toEqual([
      { id: 1, segment: 'a', ltv: 10, valid_from: '01', valid_to: null },
      { id: 2, segment: 'b', ltv: 20, valid_from: '01', valid_to: null },
    ]);
  });

  it('keep deletes versions closed longer ago than the retention; current versions stay', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'], keep: '20 days' }) });
    await build(e, B1, T1);
    await build(e, B2, T2);
    const r3 = await build(e, B3, T3);
    // At T3 (1 March) the version of id 1 closed on 1 February is 28 days old: gone. Those closed at T3 stay.
    expect(r3.metrics[0]!.snapshot).toMatchObject({ expired: 1 });
    expect((await versions(e)).map((v) => [v.id, v.ltv, v.valid_from, v.valid_to])).toEqual([
      [1, 11, '02', null], [2, 20, '01', '03'], [3, 30, '01', '03'], [3, 30, '03', null], [4, 40, '02', null],
    ]);
  });

  it('schema changes: an added column is NULL in older versions, a removed one stays, a widened type is widened, a type that cannot be is a SNAPSHOT error that keeps everything', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }, 'SELECT id, segment, ltv::INTEGER AS ltv FROM people') });
    await build(e, B1, T1);
    await project!.write({ 'metrics/ltv.yaml': ltv({ key: ['id'] }, "SELECT id, ltv::BIGINT AS ltv, 'new' AS tier FROM people") });
    const r2 = await build(e, B1, T2);
    expect(r2.ok).toBe(true);
    expect(r2.metrics[0]!.warnings.map((w) => [w.code, w.message])).toEqual([
      ['SNAPSHOT_SCHEMA_CHANGE', 'snapshot of ltv: column tier added: NULL in older versions'],
      ['SNAPSHOT_SCHEMA_CHANGE', 'snapshot of ltv: column segment removed: kept in older versions, NULL in new ones'],
      ['SNAPSHOT_SCHEMA_CHANGE', 'snapshot of ltv: column ltv widened from INTEGER to BIGINT'],
    ]);
    // Every key changed (tier went from NULL to 'new'): closed and added again.
    expect(r2.metrics[0]!.snapshot).toMatchObject({ changed: 3, added: 0, removed: 0 });
    expect(await e.query<Record<string, unknown>>("SELECT id, segment, ltv, tier FROM snapshots.ltv WHERE id = 1 ORDER BY _valid_from")).toEqual([
      { id: 1, segment: 'a', ltv: 10, tier: null },
      { id: 1, segment: null, ltv: 10, tier: 'new' },
    ]);
    const types = async () => e.query("SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = 'snapshots' AND table_name = 'ltv' ORDER BY ordinal_position");
    const before = await types();
    await project!.write({ 'metrics/ltv.yaml': ltv({ key: ['id'] }, "SELECT id, 'x' || ltv AS ltv, 'new' AS tier FROM people") });
    const r3 = await build(e, B1, T3);
    expect(r3.metrics[0]).toMatchObject({ status: 'failed', reason: 'snapshot failed' });
    expect(r3.metrics[0]!.error!.message).toBe('snapshot of ltv: column ltv changed type from BIGINT to VARCHAR, which cannot hold every older version (or fit in their type)');
    expect(await types()).toEqual(before);
    expect(await e.query('SELECT typeof(ltv) AS t FROM ltv LIMIT 1')).toEqual([{ t: 'BIGINT' }]);
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 6 }]);
  });

  it('a downstream metric reads snapshots.<metric> (built after it); reading the versions of a metric without snapshot is an error with the fix', async () => {
    const moved = metricYaml({ metric_name: 'moved', sql: 'SELECT count(DISTINCT id)::INTEGER AS keys, count(*)::INTEGER AS versions FROM snapshots.ltv' });
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }), 'metrics/moved.yaml': moved });
    const r1 = await build(e, B1, T1);
    expect(r1.metrics.map((m) => [m.name, m.status])).toEqual([['ltv', 'success'], ['moved', 'success']]);
    await build(e, B2, T2);
    expect(await e.query('SELECT keys, versions FROM moved')).toEqual([{ keys: 4, versions: 5 }]);
    const catalog = await e.catalog();
    expect(catalog.metrics.find((m) => m.name === 'moved')!.upstream).toEqual(['ltv']);

    await project!.write({ 'metrics/ltv.yaml': ltv(false), 'metrics/typo.yaml': metricYaml({ metric_name: 'typo', sql: 'SELECT * FROM snapshots.ltx' }) });
    const invalid = await e.validate();
    const errors = invalid.metrics.flatMap((m) => m.errors.map((d) => [m.name, d.code, d.message, d.hint]));
    expect(errors).toEqual([
      ['moved', 'SNAPSHOT_NOT_SET', 'reads snapshots.ltv, the versions of metric ltv, which does not keep them (no snapshot: in metrics/ltv.yaml)', 'add "snapshot: true" (or snapshot: { key: [<columns>] }) to metrics/ltv.yaml; its next build writes the first version'],
      ['typo', 'TABLE_UNKNOWN', 'reads snapshots.ltx, but there is no metric "ltx"', 'snapshots.<metric> holds the versions of a metric with snapshot: set (docs/snapshots.md)'],
    ]);
    expect(invalid.metrics.find((m) => m.name === 'moved')!.errors[0]).toMatchObject({ file: 'metrics/moved.yaml', line: expect.any(Number) });
  });

  it('publish writes the version from the preview, in its transaction; plan writes none', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }) });
    await build(e, B1, T1);
    rows = B2;
    await e.load();
    const plan = await e.plan();
    expect(plan.ok).toBe(true);
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 3 }]);
    const published = await e.publish();
    expect(published.ok).toBe(true);
    expect(await e.query('SELECT id, ltv FROM snapshots.ltv WHERE _valid_to IS NULL ORDER BY id')).toEqual([{ id: 1, ltv: 11 }, { id: 2, ltv: 20 }, { id: 3, ltv: 30 }, { id: 4, ltv: 40 }]);
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM snapshots.ltv')).toEqual([{ n: 5 }]);
    expect((await e.history({ limit: 1 }))[0]).toMatchObject({ status: 'success' });
  });

  it('as-of reads at each point: engine.asOf, engine.select and engine.query rewrite every snapshotted table the SELECT reads', async () => {
    const other = metricYaml({ metric_name: 'plain', sql: 'SELECT 1 AS id, 7 AS bonus' });
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }), 'metrics/plain.yaml': other });
    await build(e, B1, T1);
    await build(e, B2, T2);
    await build(e, B3, T3);
    const at = async (time: string | Date) => (await e.asOf('ltv', time, { limit: 10 })).rows.map((r) => [r.id, r.segment, r.ltv]).sort();
    expect(await at('2025-12-31')).toEqual([]);
    expect(await at(T1)).toEqual([[1, 'a', 10], [2, 'b', 20], [3, null, 30]]);
    expect(await at('2026-01-15 12:00:00+05')).toEqual([[1, 'a', 10], [2, 'b', 20], [3, null, 30]]);
    expect(await at('2026-02-01')).toEqual([[1, 'a', 11], [2, 'b', 20], [3, null, 30], [4, 'c', 40]]);
    expect(await at('2026-03-01 00:00:00')).toEqual([[1, 'a', 11], [3, 'x', 30], [4, 'c', 40]]);
    expect(await at('2099-01-01')).toEqual(await at(T3));
    // No validity columns; the metric's columns.
    expect((await e.asOf('ltv', T2)).columns.map((c) => c.name)).toEqual(['id', 'segment', 'ltv']);

    // A join with aliases, a CTE, a subquery in WHERE, and main.-qualified names: each read of ltv is the past one;
    // plain keeps no versions and is read as it is now.
    const sql = `WITH top AS (SELECT id FROM main.ltv WHERE ltv >= 20)
      SELECT l.id, l.ltv, p.bonus FROM ltv AS l LEFT JOIN plain p ON p.id = l.id
      WHERE l.id IN (SELECT id FROM top) OR l.id IN (SELECT x.id FROM ltv x WHERE x.ltv < 11) ORDER BY l.id`;
    const past = await e.select(sql, { asOf: '2026-01-20' });
    expect(past.rows).toEqual([{ id: 1, ltv: 10, bonus: 7 }, { id: 2, ltv: 20, bonus: null }, { id: 3, ltv: 30, bonus: null }]);
    expect(past.asOf).toEqual({ time: '2026-01-20 00:00:00+00', replaced: ['ltv'] });
    expect(past.sql).toContain('snapshots.ltv');
    expect((await e.select(sql)).rows).toEqual([{ id: 3, ltv: 30, bonus: null }, { id: 4, ltv: 40, bonus: null }]);
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM ltv', { asOf: T2 })).toEqual([{ n: 4 }]);
    // A CTE named like the metric is the CTE's.
    expect(await e.query('WITH ltv AS (SELECT 99 AS id) SELECT id FROM ltv', { asOf: T1 })).toEqual([{ id: 99 }]);
  });

  it('engine.queryMetric({ asOf }) computes the measures over the version published at that time', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }, 'SELECT id, segment, ltv FROM people', { dimensions: ['segment'], measures: { total: 'sum(ltv)', people: 'count(*)' } }) });
    await build(e, B1, T1);
    await build(e, B2, T2);
    const now = await e.queryMetric({ metric: 'ltv', measures: ['total', 'people'] });
    expect(now.rows).toEqual([{ total: 101, people: 4 }]);
    const past = await e.queryMetric({ metric: 'ltv', measures: ['total', 'people'], asOf: '2026-01-15' });
    expect(past.rows).toEqual([{ total: 60, people: 3 }]);
    expect(past.asOf).toEqual({ time: '2026-01-15 00:00:00+00', replaced: ['ltv'] });
    const bySegment = await e.queryMetric({ metric: 'ltv', measures: ['people'], by: ['segment'], asOf: T1 });
    expect(bySegment.rows.map((r) => [r.segment, r.people]).sort()).toEqual([[null, 1], ['a', 1], ['b', 1]]);
  });

  it('hostile as-of times are USAGE errors that run nothing; a metric without versions is SNAPSHOT with the fix', async () => {
    const e = await open({ 'metrics/ltv.yaml': ltv({ key: ['id'] }), 'metrics/plain.yaml': metricYaml({ metric_name: 'plain', sql: 'SELECT 1 AS id' }) });
    await build(e, B1, T1);
    for (const bad of ["2026-01-01'; DROP TABLE ltv; --", '2026-13-45', '', '   ', 'yesterday', 'now()', '1 day', 'a\0b', 'x'.repeat(5000), "' OR 1=1 --"]) {
      await expect(e.asOf('ltv', bad), bad).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('--as-of needs a time DuckDB can read') });
      await expect(e.select('SELECT * FROM ltv', { asOf: bad })).rejects.toMatchObject({ code: 'USAGE' });
    }
    await expect(e.asOf('ltv', new Date(Number.NaN))).rejects.toMatchObject({ code: 'USAGE' });
    expect(await e.query('SELECT count(*)::INTEGER AS n FROM ltv')).toEqual([{ n: 3 }]);
    await expect(e.asOf('plain', T1)).rejects.toMatchObject({ code: 'SNAPSHOT', hint: expect.stringContaining('add snapshot: true') });
    await expect(e.asOf('"; DROP TABLE ltv; --', T1)).rejects.toMatchObject({ code: 'SNAPSHOT' });
    // The sandbox still holds for the query as written.
    await expect(e.select("SELECT * FROM read_csv('/etc/passwd')", { asOf: T1 })).rejects.toMatchObject({ code: 'SANDBOX' });
  });
});
