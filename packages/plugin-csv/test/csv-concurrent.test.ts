// Several CSV files loaded at once (up to `threads`, each on a connection of its own): what must not change when
// they are — names claimed in file order, results in file order, a failure kept to its file, cancellation between
// files, the previous table kept — and that they really are loaded at once. Real DuckDB.
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, quoteIdent } from '@duckmetrics/core';
import type { Database, Engine, SourceLoad } from '@duckmetrics/core';
import { hookContext, invokeHook, metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject, TestHookContext } from '@duckmetrics/core/testing';
import { csv } from '../src/index.ts';

let project: TempProject | undefined;
let engine: Engine | undefined;
const contexts: TestHookContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

/** A CSV of `n` rows `id,label`. */
const rowsCsv = (n: number, label = 'x'): string => `id,label\n${Array.from({ length: n }, (_, i) => `${i + 1},${label}${i}`).join('\n')}\n`;
const LOAD = /^CREATE OR REPLACE TABLE "([^"]+)" AS SELECT \* FROM read_csv/;

/**
 * A real database whose table loads can be watched and held: `inFlight` / `most` count loads running at once,
 * `order` lists tables as their loads finish, `hold(table, until)` keeps a load from starting until `until`, and
 * `on.asked(n)` / `on.loaded(table)` are called as the n-th load is asked for and as each finishes (on any connection).
 */
function watched(real: Database, options: { connections?: boolean } = {}) {
  const state = { asked: 0, inFlight: 0, most: 0, connections: 0, order: [] as string[] };
  const on: { asked?: (n: number) => void; loaded?: (table: string) => void } = {};
  const holds = new Map<string, Promise<unknown>>();
  const wrap = (db: Database): Database => ({
    run: (sql) => db.run(sql),
    async all<T>(sql: string) {
      const table = LOAD.exec(sql)?.[1];
      if (table === undefined) return db.all<T>(sql);
      on.asked?.(++state.asked);
      await holds.get(table);
      state.inFlight++;
      state.most = Math.max(state.most, state.inFlight);
      try {
        return await db.all<T>(sql);
      } finally {
        state.inFlight--;
        state.order.push(table);
        on.loaded?.(table);
      }
    },
    countStatements: (sql) => db.countStatements(sql),
  });
  const db: Database = wrap(real);
  if (options.connections !== false) {
    db.withConnection = (work) => real.withConnection!((c) => {
      state.connections++;
      return work(wrap(c));
    });
  }
  return { db, state, on, hold: (table: string, until: Promise<unknown>) => void holds.set(table, until) };
}

async function context(files: Record<string, string>, threads: number, options: { connections?: boolean; signal?: AbortSignal } = {}) {
  project = await projectDir(files);
  const base = await hookContext({ root: project.dir });
  contexts.push(base);
  const w = watched(base.db, options);
  const ctx = await hookContext({ root: project.dir, db: w.db, config: { threads }, ...(options.signal ? { signal: options.signal } : {}) });
  contexts.push(ctx);
  return { ctx, ...w, count: async (table: string) => Number((await base.db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`))[0]!.n) };
}

const summary = (loads: SourceLoad[] | undefined | void) => (loads ?? []).map((l) => [l.name, l.error?.code ?? l.rows]);

describe('several files at once (the loadSources hook)', () => {
  it('loads up to `threads` files at once, each on a connection of its own, and every table is whole', async () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n, i) => [`data/${n}.csv`, rowsCsv(200 * (i + 1))]));
    const { ctx, state, on, hold, count } = await context(files, 3);
    // No load starts before three have been asked for: only loads at once get past this.
    let three: () => void = () => undefined;
    const threeAsked = new Promise<void>((resolve) => (three = resolve));
    for (const t of ['a', 'b', 'c', 'd', 'e']) hold(t, threeAsked);
    on.asked = (n) => n === 3 && three();
    const loads = await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() });
    expect(summary(loads)).toEqual([['a', 200], ['b', 400], ['c', 600], ['d', 800], ['e', 1000]]);
    expect(state.most).toBe(3);
    expect(state.connections).toBe(2); // this one and two more
    for (const [i, t] of ['a', 'b', 'c', 'd', 'e'].entries()) expect(await count(t)).toBe(200 * (i + 1));
  });

  it('with threads 1, or a database that cannot open another connection, loads one file after the other', async () => {
    const files = { 'data/a.csv': rowsCsv(50), 'data/b.csv': rowsCsv(60), 'data/c.csv': rowsCsv(70) };
    for (const [threads, connections] of [[1, true], [4, false]] as const) {
      const { ctx, state } = await context(files, threads, { connections });
      const loads = await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() });
      expect(summary(loads)).toEqual([['a', 50], ['b', 60], ['c', 70]]);
      expect(state.most).toBe(1);
      expect(state.connections).toBe(0);
      await project?.cleanup();
    }
  });

  it('returns the loads in file order whatever order they finish in, the largest file started first', async () => {
    const files = { 'data/a_small.csv': rowsCsv(10), 'data/b_big.csv': rowsCsv(3000), 'data/c_mid.csv': rowsCsv(500), 'data/d_tiny.csv': rowsCsv(1) };
    const { ctx, state, on, hold } = await context(files, 2);
    // a_small cannot start before every other file finished loading.
    let others: () => void = () => undefined;
    hold('a_small', new Promise<void>((resolve) => (others = resolve)));
    on.loaded = () => state.order.length === 3 && others();
    const loads = await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() });
    expect(summary(loads)).toEqual([['a_small', 10], ['b_big', 3000], ['c_mid', 500], ['d_tiny', 1]]);
    expect(state.order.at(-1)).toBe('a_small');
    expect(state.order.slice(0, 3).sort()).toEqual(['b_big', 'c_mid', 'd_tiny']);
  });

  it('keeps a failure to its file: the files loading beside it load, and it names its file and line', async () => {
    const files = { 'data/a.csv': rowsCsv(100), 'data/b.csv': 'n\n1\n2\nnot a number\n', 'data/c.csv': rowsCsv(300), 'data/d.csv': rowsCsv(5) };
    const { ctx, state, on, hold } = await context(files, 4);
    let two: () => void = () => undefined;
    const twoAsked = new Promise<void>((resolve) => (two = resolve));
    for (const t of ['a', 'b', 'c', 'd']) hold(t, twoAsked);
    on.asked = (n) => n === 2 && two();
    const loads = await invokeHook(csv({ tables: { b: { types: { n: 'INTEGER' } } } }), 'loadSources', ctx, { previous: new Map() });
    expect(summary(loads)).toEqual([['a', 100], ['b', 'CSV_LOAD_FAILED'], ['c', 300], ['d', 5]]);
    expect(loads?.[1]?.error?.line).toBe(4);
    expect(state.most).toBeGreaterThan(1);
  });

  it('when another connection cannot open, loads every file on this one', async () => {
    const files = { 'data/a.csv': rowsCsv(10), 'data/b.csv': rowsCsv(20), 'data/c.csv': rowsCsv(30) };
    const { ctx, state } = await context(files, 3);
    ctx.db.withConnection = async () => {
      throw new Error('too many connections');
    };
    expect(summary(await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() }))).toEqual([['a', 10], ['b', 20], ['c', 30]]);
    expect(state.most).toBe(1);
  });

  it('once cancelled, starts no other file; what it returns is exactly what it loaded', async () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => [`data/${n}.csv`, rowsCsv(100)]));
    const controller = new AbortController();
    const { ctx, state, on, count } = await context(files, 2, { signal: controller.signal });
    on.loaded = () => controller.abort(); // as the first file is loaded
    const loads = (await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() })) ?? [];
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.length).toBeLessThanOrEqual(2); // the one that finished, and at most the one beside it
    expect(state.order.length).toBe(loads.length);
    for (const load of loads) expect(await count(load.name)).toBe(100);
    const tables = await ctx.db.all<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1");
    expect(tables.map((t) => t.t)).toEqual(loads.map((l) => l.name).sort());
  });
});

describe('several files at once (setup under the engine, a database file)', () => {
  async function open(files: Record<string, string>, threads: number, options: Parameters<typeof csv>[0] = {}): Promise<Engine> {
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv(options)], threads } });
    return engine;
  }
  const rows = async (e: Engine, table: string): Promise<number> => Number((await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`))[0]!.n);

  it('loads thirty files four at a time; each is recorded, so the next setup finds them all unchanged and reloads only an edited one', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const e = await open(Object.fromEntries(names.map((n, i) => [`data/${n}.csv`, rowsCsv(i + 1, n)])), 4);
    const first = await e.load();
    expect(first.ok).toBe(true);
    expect(first.sources.map((s) => [s.name, s.status, s.rows])).toEqual(names.map((n, i) => [n, 'loaded', i + 1]));
    for (const [i, n] of names.entries()) expect(await rows(e, n)).toBe(i + 1);
    expect((await e.load()).sources.every((s) => s.status === 'unchanged')).toBe(true);
    await writeFile(project!.path('data', 't07.csv'), rowsCsv(99, 't07'));
    const third = await e.load();
    expect(third.sources.filter((s) => s.status !== 'unchanged').map((s) => [s.name, s.status, s.rows])).toEqual([['t07', 'loaded', 99]]);
    expect(await rows(e, 't07')).toBe(99);
  });

  it('claims names in file order: of two files that load into one table, the first in file order wins every time', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const e = await open({ 'data/a-b.csv': rowsCsv(3000), 'data/a_b.csv': rowsCsv(2), 'data/A B.csv': rowsCsv(7), 'data/z.csv': rowsCsv(4) }, 4);
      const loaded = await e.load();
      expect(loaded.sources.map((s) => [s.file, s.status, s.error?.code ?? s.rows])).toEqual([
        ['data/A B.csv', 'loaded', 7],
        ['data/a-b.csv', 'failed', 'SOURCE_NAME_TAKEN'],
        ['data/a_b.csv', 'failed', 'SOURCE_NAME_TAKEN'],
        ['data/z.csv', 'loaded', 4],
      ]);
      expect(await rows(e, 'A_B')).toBe(7);
      await e.close();
      engine = undefined;
      await project?.cleanup();
    }
  });

  it('a file that fails to parse beside others keeps its previous table, and metrics build on every table', async () => {
    const e = await open({
      'data/orders.csv': rowsCsv(40), 'data/prices.csv': 'amount\n1\n2\n', 'data/extra.csv': rowsCsv(9),
      'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT (SELECT count(*) FROM orders) + (SELECT sum(amount) FROM prices) + (SELECT count(*) FROM extra) AS n' }),
    }, 3, { tables: { prices: { types: { amount: 'INTEGER' } } } });
    expect((await e.load()).ok).toBe(true);
    await writeFile(project!.path('data', 'prices.csv'), 'amount\n1\nnot a number\n');
    await writeFile(project!.path('data', 'orders.csv'), rowsCsv(41));
    const loaded = await e.load();
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['extra', 'unchanged'], ['orders', 'loaded'], ['prices', 'failed']]);
    expect(loaded.sources[2]?.error).toMatchObject({ code: 'CSV_LOAD_FAILED', file: 'data/prices.csv' });
    expect(await e.query('SELECT sum(amount) AS s FROM prices')).toEqual([{ s: 3 }]);
    expect((await e.run()).ok).toBe(true);
    expect(await e.query('SELECT n FROM total')).toEqual([{ n: 41 + 3 + 9 }]);
  });
});
