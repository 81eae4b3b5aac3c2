// engine.select(): the read-only, sandboxed SELECT behind `duckmetrics query`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject;
let engine: Engine;
beforeEach(async () => {
  project = await projectDir({ 'metrics/.keep': '' });
  const source = definePlugin({ name: 'src', loadSources: async (ctx) => { await ctx.db.run('CREATE OR REPLACE TABLE orders AS SELECT range AS id, range * 1.5 AS amount, DATE \'2026-01-01\' + range::INT AS day FROM range(30)'); return [{ name: 'orders', rows: 30 }]; } });
  engine = createEngine({ cwd: project.dir, config: { plugins: [source] } });
  await engine.load();
});
afterEach(async () => {
  await engine.close();
  await project.cleanup();
});

describe('engine.select', () => {
  it('returns the columns with their types and at most `limit` rows', async () => {
    const result = await engine.select('SELECT id, amount, day FROM orders ORDER BY id', { limit: 3 });
    expect(result.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(21,1)' }, { name: 'day', type: 'DATE' }]);
    expect(result.rows.map((r) => r.id)).toEqual([0, 1, 2]);
    expect(result.truncated).toBe(true);
    expect((await engine.select('SELECT count(*) AS n FROM orders')).truncated).toBe(false);
  });

  it.each([
    ['DROP TABLE orders', /must be a SELECT/],
    ['CREATE TABLE x AS SELECT 1', /must be a SELECT/],
    ['DELETE FROM orders', /must be a SELECT/],
    ['UPDATE orders SET id = 0', /must be a SELECT/],
    ['SELECT 1; DROP TABLE orders', /exactly one statement; found 2/],
    ['-- nothing', /no statement/],
    ['SELECT nope FROM orders', /nope/],
    ['SELECT * FROM missing_table', /missing_table/],
    ["SELECT * FROM read_csv('/etc/passwd')", /.+/],
    ["COPY orders TO '/tmp/out.csv'", /must be a SELECT/],
    ["ATTACH '/tmp/other.duckdb'", /must be a SELECT/],
    ['SELECT * FROM duckdb_secrets()', /duckdb_secrets/],
    ['SELECT * FROM duckdb_settings()', /duckdb_settings/],
    ["SELECT * FROM glob('/etc/*')", /glob/],
  ])('refuses %s with QUERY_INVALID or SANDBOX, and leaves the data as it was', async (sql, message) => {
    await expect(engine.select(sql)).rejects.toMatchObject({ code: expect.stringMatching(/QUERY_INVALID|SANDBOX/), message: expect.stringMatching(message) });
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 30 }]);
  });
});

it('holds a query to the sandbox allow-list, like a metric', async () => {
  await expect(engine.select("SELECT count(*) AS n FROM orders, duckdb_extensions()")).rejects.toMatchObject({ code: 'SANDBOX', message: expect.stringMatching(/duckdb_extensions/) });
});
