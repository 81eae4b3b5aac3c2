// validateSql() through the plugin kit (its hook on a real in-memory DuckDB), and under the engine beside core's rules.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import { hookContext, invokeHook, metricYaml, projectDir, testMetric } from '@duckmetrics/core/testing';
import type { TempProject, TestHookContext } from '@duckmetrics/core/testing';
import { validateSql } from '../src/index.ts';

let ctx: TestHookContext | undefined;
let project: TempProject | undefined;
afterEach(async () => {
  await ctx?.close();
  await project?.cleanup();
  ctx = project = undefined;
});

async function context(): Promise<TestHookContext> {
  ctx = await hookContext();
  await ctx.db.run("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 'a', 2.5)) t(order_id, status, amount)");
  return ctx;
}

describe('validateSql() hook', () => {
  it('finds nothing wrong with SQL that EXPLAIN accepts', async () => {
    const c = await context();
    expect(await invokeHook(validateSql(), 'validate', testMetric({ name: 'm', sql: 'SELECT status, sum(amount) AS s FROM orders GROUP BY ALL' }), c)).toEqual([]);
  });

  it.each([
    ['SELECT * FROM order', 'SQL_PARSER', /order/],
    ['SELECT * FROM orderz', 'SQL_CATALOG', /orderz/],
    ['SELECT nope FROM orders', 'SQL_BINDER', /nope/],
    ['SELECT order_id +\nFROM orders', 'SQL_PARSER', /syntax/i],
    ["SELECT 'a' + 1 AS x FROM orders", 'SQL_BINDER', /\+/],
  ])('reports %j as %s with DuckDB\'s words', async (sql, code, message) => {
    const c = await context();
    const [d] = (await invokeHook(validateSql(), 'validate', testMetric({ name: 'm', sql }), c)) ?? [];
    expect(d).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('maps the line of an error inside the SQL (after its own EXPLAIN line)', async () => {
    const c = await context();
    const [d] = (await invokeHook(validateSql(), 'validate', testMetric({ name: 'm', sql: 'SELECT order_id,\n  missing_column\nFROM orders' }), c)) ?? [];
    expect(d).toMatchObject({ code: 'SQL_BINDER', sqlLine: 2 });
  });

  it('checks nothing itself with explain: false', async () => {
    const c = await context();
    expect(await invokeHook(validateSql({ explain: false }), 'validate', testMetric({ name: 'm', sql: 'SELECT * FROM nowhere' }), c)).toEqual([]);
  });
});

describe('validateSql() under the engine', () => {
  it.each([
    ['SELECT 1; SELECT 2', 'SQL_MULTIPLE_STATEMENTS'],
    ['-- only a comment', 'SQL_EMPTY'],
    ['DELETE FROM orders', 'SQL_NOT_SELECT'],
  ])('leaves the one-SELECT rule to core, with or without EXPLAIN: %j is %s', async (sql, code) => {
    project = await projectDir({ 'metrics/m.yaml': metricYaml({ metric_name: 'm', sql }) });
    const source = definePlugin({ name: 'src', loadSources: async (c) => { await c.db.run('CREATE OR REPLACE TABLE orders AS SELECT 1 AS order_id'); return [{ name: 'orders', rows: 1 }]; } });
    for (const explain of [true, false]) {
      const engine = createEngine({ cwd: project.dir, config: { plugins: [source, validateSql({ explain })] } });
      await engine.load();
      const [entry] = (await engine.validate()).metrics;
      expect(entry!.errors.map((e) => e.code)).toEqual([code]);
      expect(entry!.errors[0]).toMatchObject({ file: 'metrics/m.yaml', line: 6 });
      await engine.close();
    }
  });
});
