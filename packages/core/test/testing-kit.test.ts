import { AssertionError } from 'node:assert';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, PluginError } from '@duckmetrics/core';
import {
  diagnosticsOf,
  expectDiagnostic,
  expectNoDiagnostics,
  hookContext,
  invokeHook,
  matchesDiagnostic,
  memoryEngine,
  metricYaml,
  testMetric,
} from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

const ownerRule = definePlugin({
  name: 'owner-rule',
  validate: (metric) => (metric.owner.includes('@') ? [] : [{ code: 'OWNER', message: `owner "${metric.owner}" is not an email`, sqlLine: 1, sqlColumn: 1 }]),
});

describe('memoryEngine', () => {
  it('runs the plugins under test on :memory: over a temp project', async () => {
    kit = await memoryEngine({
      files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 42 AS answer' }) },
      plugins: [ownerRule],
    });
    expect((await kit.engine.config()).database).toBe(':memory:');
    const validated = await kit.engine.validate();
    const d = expectDiagnostic(validated, { code: 'OWNER', plugin: 'owner-rule', file: 'metrics/a.yaml', line: 6, column: 3, message: /not an email/ });
    expect(d.severity).toBe('error');
    await kit.project.write({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', owner: 'ana@example.com', sql: 'SELECT 42 AS answer' }) });
    expectNoDiagnostics(await kit.engine.validate());
    expect((await kit.engine.run()).ok).toBe(true);
    expect(await kit.engine.query('SELECT answer FROM a')).toEqual([{ answer: 42 }]);
  });

  it('takes the files directly and uses the default plugins', async () => {
    kit = await memoryEngine({ 'data/orders.csv': 'id,amount\n1,10\n2,5\n', 'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT sum(amount) AS total FROM orders' }) });
    expect((await kit.engine.load()).sources).toMatchObject([{ name: 'orders', rows: 2, plugin: 'csv' }]);
    await kit.engine.run();
    expect(await kit.engine.query('SELECT total FROM total')).toEqual([{ total: 15 }]);
  });
});

describe('diagnostic assertions', () => {
  it('flattens every kind of result', () => {
    const e = { severity: 'error' as const, code: 'E', message: 'e' };
    const w = { severity: 'warning' as const, code: 'W', message: 'w' };
    expect(diagnosticsOf({ metrics: [{ errors: [e], warnings: [w] }] })).toEqual([e, w]);
    expect(diagnosticsOf({ sources: [{ error: e }, {}], errors: [w] })).toEqual([e, w]);
    expect(diagnosticsOf({ error: e, errors: [e], warnings: [w] })).toEqual([e, w]);
    expect(diagnosticsOf([w])).toEqual([w]);
  });

  it('matches fields exactly, messages by substring or RegExp, and defaults severity to error', () => {
    expect(matchesDiagnostic({ code: 'X', message: 'owner is wrong' }, { code: 'X', severity: 'error', message: 'owner' })).toBe(true);
    expect(matchesDiagnostic({ code: 'X', message: 'owner is wrong' }, { message: /^owner/ })).toBe(true);
    expect(matchesDiagnostic({ code: 'X', message: 'owner is wrong' }, { severity: 'warning' })).toBe(false);
    expect(matchesDiagnostic({ code: 'X', message: 'm', line: 3 }, { line: 4 })).toBe(false);
  });

  it('throws an AssertionError that lists what was there', () => {
    const result = { metrics: [{ errors: [{ severity: 'error' as const, code: 'SQL_BINDER', message: 'no column x', file: 'metrics/a.yaml', line: 7, column: 3 }], warnings: [] }] };
    expect(() => expectDiagnostic(result, { code: 'NOPE' })).toThrowError(AssertionError);
    expect(() => expectDiagnostic(result, { code: 'NOPE' })).toThrowError(/matching \{ code: "NOPE" \}; there were 1:\n {2}metrics\/a\.yaml:7:3 error SQL_BINDER no column x/);
    expect(() => expectNoDiagnostics(result)).toThrowError(/expected no diagnostics; there were 1/);
    expect(() => expectNoDiagnostics(result, { severity: 'warning' })).not.toThrow();
    expect(() => expectDiagnostic([], { code: 'X' })).toThrowError(/there were none/);
  });
});

describe('hookContext, testMetric and invokeHook', () => {
  it('calls a hook directly with a real in-memory DuckDB and records logs and events', async () => {
    const plugin = definePlugin({
      name: 'one-table',
      loadSources: {
        order: 'pre',
        async handler(ctx) {
          await ctx.db.run('CREATE TABLE t AS SELECT * FROM range(3)');
          ctx.logger.warn('loaded t');
          ctx.emit('load:start', { plugins: ['one-table'] });
          return [{ name: 't', rows: 3 }];
        },
      },
    });
    const ctx = await hookContext({ root: '/tmp/project' });
    try {
      expect(await invokeHook(plugin, 'loadSources', ctx, { previous: new Map() })).toEqual([{ name: 't', rows: 3 }]);
      expect(await ctx.db.all('SELECT count(*) AS n FROM t')).toEqual([{ n: 3 }]);
      expect(ctx.messages).toEqual([{ level: 'warn', message: 'loaded t' }]);
      expect(ctx.events).toEqual([{ event: 'load:start', payload: { plugins: ['one-table'] } }]);
      expect(ctx.config).toMatchObject({ root: '/tmp/project', metricsDir: '/tmp/project/metrics', database: ':memory:' });
      expect(await invokeHook(plugin, 'validate', testMetric({ name: 'a', sql: 'SELECT 1' }), ctx)).toBeUndefined();
    } finally {
      await ctx.close();
    }
  });

  it('attributes a throwing hook like the engine does', async () => {
    const ctx = await hookContext({ db: { run: async () => {}, all: async () => [], countStatements: async () => 1 } });
    const broken = definePlugin({ name: 'broken', validate: () => { throw new Error('boom'); } });
    await expect(invokeHook(broken, 'validate', testMetric({ name: 'a', sql: 'SELECT 1' }), ctx)).rejects.toMatchObject({
      code: 'PLUGIN_ERROR', plugin: 'broken', hook: 'validate', cause: expect.objectContaining({ message: 'boom' }),
    });
    // one copy of core: the kit's errors are the package's classes
    await expect(invokeHook(broken, 'validate', testMetric({ name: 'a', sql: 'SELECT 1' }), ctx)).rejects.toBeInstanceOf(PluginError);
  });

  it('testMetric fills what the test does not care about', () => {
    expect(testMetric({ name: 'a', sql: 'SELECT 1', tags: ['x'] })).toMatchObject({ name: 'a', file: 'metrics/a.yaml', owner: 'tests', tags: ['x'], materialized: 'table' });
  });
});
