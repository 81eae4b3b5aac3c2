// Database.withConnection: work on a connection of its own beside the one a hook was given (what lets a source
// plugin load several files at once), closed when the work settles, reached by an interrupt. Real DuckDB.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Database, Engine } from '@duckmetrics/core';
import { hookContext, projectDir } from '@duckmetrics/core/testing';
import type { TempProject, TestHookContext } from '@duckmetrics/core/testing';

/** Runs for hours unless interrupted: 10^12 rows of a cross join. */
const SLOW_SQL = 'SELECT sum(a.range * b.range) AS answer FROM range(1000000) a CROSS JOIN range(1000000) b';

let ctx: TestHookContext | undefined;
let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await ctx?.close();
  await engine?.close();
  await project?.cleanup();
  ctx = project = engine = undefined;
});

const tableCount = async (db: Database, name: string): Promise<number> =>
  Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${name}'`))[0]!.n);

describe('Database.withConnection', () => {
  it('is there on the database a hook gets, and returns what the work returns', async () => {
    ctx = await hookContext();
    expect(typeof ctx.db.withConnection).toBe('function');
    expect(await ctx.db.withConnection!(async (c) => (await c.all<{ x: number }>('SELECT 41 + 1 AS x'))[0]!.x)).toBe(42);
  });

  it('works on another connection: it does not see what this one has not committed, and sees it once committed', async () => {
    ctx = await hookContext();
    const db = ctx.db;
    await db.run('BEGIN TRANSACTION; CREATE TABLE pending AS SELECT 1 AS x');
    expect(await tableCount(db, 'pending')).toBe(1);
    expect(await db.withConnection!((c) => tableCount(c, 'pending'))).toBe(0);
    await db.run('COMMIT');
    expect(await db.withConnection!((c) => tableCount(c, 'pending'))).toBe(1);
  });

  it('runs beside this connection: two transactions open at once, each writing its own table, both committed', async () => {
    ctx = await hookContext();
    const db = ctx.db;
    let opened = 0;
    let release: () => void = () => undefined;
    const bothOpen = new Promise<void>((resolve) => (release = resolve));
    const writer = (c: Database, name: string) => async (): Promise<void> => {
      await c.run(`BEGIN TRANSACTION; CREATE TABLE ${name} AS SELECT * FROM range(1000)`);
      if (++opened === 2) release();
      await bothOpen; // neither commits before the other's transaction is open
      await c.run('COMMIT');
    };
    await Promise.all([writer(db, 'left_table')(), db.withConnection!((c) => writer(c, 'right_table')())]);
    expect(opened).toBe(2);
    expect(await db.all('SELECT (SELECT count(*) FROM left_table) AS l, (SELECT count(*) FROM right_table) AS r')).toEqual([{ l: 1000, r: 1000 }]);
  });

  it('closes the connection when the work settles, resolved or rejected, and passes the rejection on', async () => {
    ctx = await hookContext();
    let kept: Database | undefined;
    await ctx.db.withConnection!(async (c) => {
      kept = c;
      await c.run('SELECT 1');
    });
    await expect(kept!.run('SELECT 1')).rejects.toThrow();
    const failure = new Error('the work failed');
    await expect(ctx.db.withConnection!(async (c) => {
      kept = c;
      throw failure;
    })).rejects.toBe(failure);
    await expect(kept!.all('SELECT 1')).rejects.toThrow();
    await expect(ctx.db.withConnection!((c) => c.run('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
    // This connection is untouched by all of it.
    expect(await ctx.db.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it("is interrupted with the engine: a statement running on it stops when the engine's signal aborts", async () => {
    project = await projectDir({});
    const controller = new AbortController();
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = definePlugin({
      name: 'slow-source',
      loadSources: async (hook) => {
        await hook.db.withConnection!(async (c) => {
          started();
          await c.run(SLOW_SQL);
        });
        return [];
      },
    });
    engine = createEngine({ cwd: project.dir, signal: controller.signal, config: { plugins: [slow] } });
    void running.then(() => setTimeout(() => controller.abort(), 500));
    const loaded = await engine.load();
    // The plugin's statement was interrupted (the load reports the plugin's failure) rather than running for hours.
    expect(loaded).toMatchObject({ ok: false, sources: [], errors: [{ plugin: 'slow-source', message: expect.stringMatching(/interrupt/i) }] });
  });
});
