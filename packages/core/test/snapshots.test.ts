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
  });
});
