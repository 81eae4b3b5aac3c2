import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '@duckmetrics/core';
import type { Database, Plugin } from '@duckmetrics/core';
import { diagnosticsOf, expectDiagnostic, expectNoDiagnostics, hookContext, invokeHook, memoryEngine, metricYaml, testMetric } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';
import { validateSql } from '@duckmetrics/plugin-validate-sql';

/** A source table for the metrics to read, without depending on another plugin. */
const ordersSource = definePlugin({
  name: 'test-orders',
  async loadSources(ctx) {
    await ctx.db.run('CREATE OR REPLACE TABLE orders AS SELECT * FROM (VALUES (1, 10, 5.5), (2, 10, 4.5), (3, 11, 7.0)) AS t(order_id, customer_id, amount)');
    return [{ name: 'orders', rows: 3 }];
  },
});

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

async function loaded(plugins: Plugin[], files: Record<string, string>): Promise<TestEngine> {
  kit = await memoryEngine({ plugins: [ordersSource, ...plugins], files });
  expect((await kit.engine.load()).ok).toBe(true);
  return kit;
}

// metricYaml writes description (line 1), owner (2), schedule (3), metric_name (4), then `sql: |` (5): SQL line n is
// file line 5 + n, and SQL column c is file column c + 2 (the block's indentation).
describe('validateSql() through the engine', () => {
  it('passes valid SQL, also SQL that reads an upstream metric (a view while validating), and the run builds it', async () => {
    const { engine } = await loaded([validateSql()], {
      'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue\nFROM orders\nGROUP BY customer_id' }),
      'metrics/top.yaml': metricYaml({ metric_name: 'top', sql: 'SELECT max(revenue) AS best FROM revenue' }),
    });
    const validated = await engine.validate();
    expectNoDiagnostics(validated);
    expect(validated.metrics.map((m) => [m.name, m.status])).toEqual([['revenue', 'valid'], ['top', 'valid']]);
    expect((await engine.run()).metrics.map((m) => [m.name, m.status])).toEqual([['revenue', 'success'], ['top', 'success']]);
    expect(await engine.query('SELECT best FROM top')).toEqual([{ best: 10 }]);
  });

  it('reports an unknown column with DuckDB’s text, on the YAML line and column of the name, and the metric is not built', async () => {
    const { engine } = await loaded([validateSql()], {
      'metrics/bad.yaml': metricYaml({ metric_name: 'bad', sql: 'SELECT customer_id,\n       amout\nFROM orders' }),
    });
    const result = await engine.validate();
    expect(result.ok).toBe(false);
    const d = expectDiagnostic(result, { code: 'SQL_BINDER', severity: 'error', plugin: 'validate-sql', file: 'metrics/bad.yaml', line: 7, column: 10 });
    expect(d.message).toContain('Binder Error: Referenced column "amout" not found in FROM clause!');
    expect(d.message).toContain('Candidate bindings: "amount"');
    expect(d.frame).toContain(['> 7 |          amout', '    |          ^'].join('\n'));
    // A returned diagnostic names its plugin; `hook` is only set when a hook threw (PLUGIN_ERROR).
    expect(d.hook).toBeUndefined();
    expect(diagnosticsOf(result)).toHaveLength(1);
    const run = await engine.run();
    expect(run.metrics).toMatchObject([{ name: 'bad', status: 'failed', reason: 'invalid', error: { code: 'SQL_BINDER', plugin: 'validate-sql', line: 7 } }]);
    expect(await engine.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'bad'")).toEqual([{ n: 0 }]);
  });

  it('reports an unknown function and a table in an unknown schema (SQL_CATALOG), keeping DuckDB’s "Did you mean"', async () => {
    const { engine } = await loaded([validateSql()], {
      'metrics/fn.yaml': metricYaml({ metric_name: 'fn', sql: 'SELECT 1 AS x\nFROM orders\nWHERE sqrtt(amount) > 1' }),
      // core resolves unqualified names itself (TABLE_UNKNOWN); a qualified one is left to EXPLAIN
      'metrics/schema.yaml': metricYaml({ metric_name: 'schema', sql: 'SELECT *\nFROM other.orders' }),
    });
    const result = await engine.validate();
    const fn = expectDiagnostic(result, { code: 'SQL_CATALOG', plugin: 'validate-sql', file: 'metrics/fn.yaml', line: 8, column: 9 });
    expect(fn.message).toBe('Catalog Error: Scalar Function with name sqrtt does not exist!\nDid you mean "sqrt"?');
    const schema = expectDiagnostic(result, { code: 'SQL_CATALOG', plugin: 'validate-sql', file: 'metrics/schema.yaml', line: 7, column: 8 });
    expect(schema.message).toContain('Table with name "other.orders" does not exist because schema "other" does not exist');
    expect(schema.hint).toContain('refer to a source table');
  });

  it('reports a syntax error at DuckDB’s position', async () => {
    const { engine } = await loaded([validateSql()], {
      'metrics/syntax.yaml': metricYaml({ metric_name: 'syntax', sql: 'SELECT *\nFORM orders' }),
    });
    const d = expectDiagnostic(await engine.validate(), { code: 'SQL_PARSER', plugin: 'validate-sql', file: 'metrics/syntax.yaml', line: 7, column: 8 });
    expect(d.message).toBe('Parser Error: syntax error at or near "orders"');
    expect(d.hint).toBe('fix the SQL syntax at this position');
  });

  it('maps the position of a one-line quoted sql: too', async () => {
    const { engine } = await loaded([validateSql()], {
      'metrics/quoted.yaml': 'description: "quoted"\nowner: "tests"\nschedule: "0 6 * * *"\nmetric_name: "quoted"\nsql: "SELECT amout FROM orders"\n',
    });
    // `sql: "` puts SQL column 1 at file column 7; "amout" is SQL column 8.
    expectDiagnostic(await engine.validate(), { code: 'SQL_BINDER', plugin: 'validate-sql', file: 'metrics/quoted.yaml', line: 5, column: 14 });
  });
});

describe('the one-SELECT rule is core’s, with or without validateSql()', () => {
  const files = {
    'metrics/dropper.yaml': metricYaml({ metric_name: 'dropper', sql: 'DROP TABLE orders' }),
    'metrics/two.yaml': metricYaml({ metric_name: 'two', sql: 'SELECT 1 AS x;\nDROP TABLE orders' }),
    'metrics/nothing.yaml': metricYaml({ metric_name: 'nothing', sql: '-- only a comment' }),
  };
  const setups: Array<[string, Plugin[]]> = [
    ['validateSql()', [validateSql()]],
    ['validateSql({ explain: false })', [validateSql({ explain: false })]],
    ['no validator', []],
  ];

  for (const [label, plugins] of setups) {
    it(`${label}: SQL_NOT_SELECT, SQL_MULTIPLE_STATEMENTS and SQL_EMPTY come from core, once each, and no source is touched`, async () => {
      const { engine } = await loaded(plugins, files);
      const result = await engine.run();
      const codes = result.metrics.map((m) => [m.name, m.status, m.errors.map((d) => [d.code, d.file, d.line, d.plugin])]);
      expect(codes).toEqual([
        ['dropper', 'failed', [['SQL_NOT_SELECT', 'metrics/dropper.yaml', 6, undefined]]],
        ['nothing', 'failed', [['SQL_EMPTY', 'metrics/nothing.yaml', 6, undefined]]],
        ['two', 'failed', [['SQL_MULTIPLE_STATEMENTS', 'metrics/two.yaml', 6, undefined]]],
      ]);
      expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
    });
  }
});

describe('validateSql({ explain: false })', () => {
  it('checks nothing itself: SQL that does not compile passes validate and fails when it is built', async () => {
    const { engine } = await loaded([validateSql({ explain: false })], {
      'metrics/column.yaml': metricYaml({ metric_name: 'column', sql: 'SELECT customer_id,\n       amout\nFROM orders' }),
      'metrics/syntax.yaml': metricYaml({ metric_name: 'syntax', sql: 'SELECT *\nFORM orders' }),
      'metrics/good.yaml': metricYaml({ metric_name: 'good', sql: 'SELECT count(*) AS n FROM orders' }),
    });
    const validated = await engine.validate();
    expectNoDiagnostics(validated);
    expect(validated.ok).toBe(true);
    const run = await engine.run();
    expect(run.metrics.map((m) => [m.name, m.status, m.reason, m.error?.code, m.error?.file, m.error?.line, m.error?.plugin])).toEqual([
      ['column', 'failed', 'build failed', 'SQL_BINDER', 'metrics/column.yaml', 7, undefined],
      ['good', 'success', undefined, undefined, undefined, undefined, undefined],
      ['syntax', 'failed', 'build failed', 'SQL_PARSER', 'metrics/syntax.yaml', 7, undefined],
    ]);
  });

  it('does not touch the database', async () => {
    const untouchable: Database = {
      run: () => Promise.reject(new Error('run called')),
      all: () => Promise.reject(new Error('all called')),
      countStatements: () => Promise.reject(new Error('countStatements called')),
    };
    const ctx = await hookContext({ db: untouchable });
    for (const sql of ['SELECT 1 AS x', 'SELECT nope FROM nowhere', 'DROP TABLE t', 'SELECT 1; SELECT 2', '']) {
      expect([sql, await invokeHook(validateSql({ explain: false }), 'validate', testMetric({ name: 'a', sql }), ctx)]).toEqual([sql, []]);
    }
    await ctx.close();
  });
});

describe('the validate hook alone', () => {
  it('returns no diagnostic for SQL that EXPLAIN accepts', async () => {
    const ctx = await hookContext();
    try {
      expect(await invokeHook(validateSql(), 'validate', testMetric({ name: 'a', sql: 'SELECT range AS n\nFROM range(3)' }), ctx)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('returns positions inside the metric’s SQL (not counting its own EXPLAIN line) for the engine to map', async () => {
    const ctx = await hookContext();
    try {
      const validate = (sql: string) => invokeHook(validateSql(), 'validate', testMetric({ name: 'a', sql }), ctx);
      expect(await validate('SELECT *\nFROM nowhere')).toEqual([
        expect.objectContaining({ code: 'SQL_CATALOG', sqlLine: 2, sqlColumn: 6, message: expect.stringContaining('Table with name nowhere does not exist!') }),
      ]);
      expect(await validate('SELECT 1 AS x,\n  nope\nFROM range(3)')).toEqual([
        expect.objectContaining({ code: 'SQL_BINDER', sqlLine: 2, sqlColumn: 3, message: expect.stringContaining('Referenced column "nope" not found') }),
      ]);
      expect(await validate('SELECT *\nFORM t')).toEqual([expect.objectContaining({ code: 'SQL_PARSER', sqlLine: 2, sqlColumn: 6 })]);
      // The engine adds file, line, column, plugin and frame; the hook does not guess them.
      const [d] = (await validate('SELECT *\nFROM nowhere'))!;
      expect(d).not.toHaveProperty('file');
      expect(d).not.toHaveProperty('line');
      expect(d).not.toHaveProperty('plugin');
    } finally {
      await ctx.close();
    }
  });

  it('does not count statements: refusing more than one SELECT is core’s rule, checked before any plugin runs', async () => {
    const statements: string[] = [];
    const recording: Database = {
      run: async (sql) => void statements.push(sql),
      all: async () => [],
      countStatements: () => Promise.reject(new Error('countStatements called')),
    };
    const ctx = await hookContext({ db: recording });
    expect(await invokeHook(validateSql(), 'validate', testMetric({ name: 'a', sql: 'SELECT 1 AS x;\n' }), ctx)).toEqual([]);
    expect(statements).toEqual(['EXPLAIN\nSELECT 1 AS x\n']);
    await ctx.close();
  });

  it('plans the SQL unrun when the database can (no EXPLAIN), and maps positions the same way', async () => {
    const calls: string[] = [];
    const planning: Database = {
      run: async (sql) => void calls.push(`run ${sql}`),
      all: async () => [],
      countStatements: async () => 1,
      plan: async (sql) => {
        calls.push(`plan ${sql}`);
        if (sql.includes('nope')) throw new Error('Binder Error: Referenced column "nope" not found\n\nLINE 2:   nope\n          ^');
      },
    };
    const ctx = await hookContext({ db: planning });
    expect(await invokeHook(validateSql(), 'validate', testMetric({ name: 'a', sql: 'SELECT 1 AS x;\n' }), ctx)).toEqual([]);
    expect(await invokeHook(validateSql(), 'validate', testMetric({ name: 'b', sql: 'SELECT 1 AS x,\n  nope' }), ctx)).toEqual([
      expect.objectContaining({ code: 'SQL_BINDER', sqlLine: 2, sqlColumn: 3 }),
    ]);
    expect(calls).toEqual(['plan SELECT 1 AS x\n', 'plan SELECT 1 AS x,\n  nope\n']);
    await ctx.close();
  });
});
