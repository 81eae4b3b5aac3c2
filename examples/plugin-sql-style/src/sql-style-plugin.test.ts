import { afterEach, describe, expect, it } from 'vitest';
import { expectDiagnostic, expectNoDiagnostics, hookContext, invokeHook, memoryEngine, metricYaml, testMetric } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';
import { findSelectStars, sqlStyle } from './sql-style-plugin.ts';

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

// metricYaml writes description (line 1), owner (2), schedule (3), metric_name (4), then the extra fields, then `sql: |`.
describe('sqlStyle() through the engine', () => {
  it('warns about SELECT * by default, on the star, in YAML coordinates, and the metric stays valid', async () => {
    kit = await memoryEngine({
      plugins: [sqlStyle()],
      files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x,\n       t.*\nFROM (SELECT 2 AS y) AS t' }) },
    });
    const result = await kit.engine.validate();
    expect(result.ok).toBe(true);
    const d = expectDiagnostic(result, { code: 'STYLE_SELECT_STAR', severity: 'warning', plugin: 'sql-style', file: 'metrics/a.yaml', line: 7, column: 10 });
    expect(d.hint).toBe('list the columns the metric needs');
    expect(d.frame).toContain(['> 7 |          t.*', '    |          ^'].join('\n'));
    expect((await kit.engine.run()).ok).toBe(true);
  });

  it('severity is configurable per rule: error makes the metric invalid, off silences it', async () => {
    const files = { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT * FROM range(3)' }) };
    kit = await memoryEngine({ plugins: [sqlStyle({ severity: { 'select-star': 'error' } })], files });
    const strict = await kit.engine.run();
    expect(strict.metrics).toMatchObject([{ name: 'a', status: 'failed', reason: 'invalid' }]);
    expectDiagnostic(strict, { code: 'STYLE_SELECT_STAR', severity: 'error', line: 6, column: 10 });
    await kit.cleanup();
    kit = await memoryEngine({ plugins: [sqlStyle({ severity: { 'select-star': 'off' } })], files });
    expectNoDiagnostics(await kit.engine.validate());
  });

  it('does not flag count(*), COLUMNS(regex), or a * in a string or comment', async () => {
    kit = await memoryEngine({
      plugins: [sqlStyle()],
      files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: "-- SELECT * would be bad\nSELECT count(*) AS n, '*' AS star, 2 * 3 AS six, max(COLUMNS('range')) FROM range(3)" }) },
    });
    expectNoDiagnostics(await kit.engine.validate());
  });

  it('checks the owner against a pattern, on the owner line', async () => {
    kit = await memoryEngine({
      plugins: [sqlStyle({ ownerPattern: '^[a-z]+-analytics$' })],
      files: {
        'metrics/bad.yaml': metricYaml({ metric_name: 'bad', owner: 'Bob', sql: 'SELECT 1 AS x' }),
        'metrics/good.yaml': metricYaml({ metric_name: 'good', owner: 'growth-analytics', sql: 'SELECT 1 AS x' }),
      },
    });
    const result = await kit.engine.validate();
    expect(result.metrics.map((m) => [m.name, m.status])).toEqual([['bad', 'invalid'], ['good', 'valid']]);
    expectDiagnostic(result, { code: 'STYLE_OWNER_PATTERN', file: 'metrics/bad.yaml', line: 2, column: 1, message: 'owner "Bob" does not match /^[a-z]+-analytics$/' });
  });

  it('requires tags, pointing at tags: when present and at metric_name otherwise', async () => {
    kit = await memoryEngine({
      plugins: [sqlStyle({ requiredTags: ['tier', 'pii-free'], severity: { 'required-tags': 'warning' } })],
      files: {
        'metrics/some.yaml': metricYaml({ metric_name: 'some', tags: ['tier'], sql: 'SELECT 1 AS x' }),
        'metrics/none.yaml': metricYaml({ metric_name: 'none', sql: 'SELECT 1 AS x' }),
        'metrics/all.yaml': metricYaml({ metric_name: 'all', tags: ['pii-free', 'tier'], sql: 'SELECT 1 AS x' }),
      },
    });
    const result = await kit.engine.validate();
    expect(result.ok).toBe(true);
    expectDiagnostic(result, { code: 'STYLE_TAGS_MISSING', severity: 'warning', file: 'metrics/some.yaml', line: 5, message: 'missing required tag: pii-free', hint: 'add them: tags: [tier, pii-free]' });
    expectDiagnostic(result, { code: 'STYLE_TAGS_MISSING', file: 'metrics/none.yaml', line: 4, message: 'missing required tags: tier, pii-free' });
    expectNoDiagnostics({ metrics: result.metrics.filter((m) => m.name === 'all') });
  });

  it('leaves SQL that DuckDB cannot parse to validateSql()', async () => {
    kit = await memoryEngine({
      plugins: [sqlStyle()],
      files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELEC * FROM t' }), 'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'DROP TABLE t' }) },
    });
    // core (or validateSql) reports these; the style plugin adds nothing
    expectNoDiagnostics(await kit.engine.validate(), { plugin: 'sql-style' });
  });

  it('rejects unknown rules and severities when the config is built', () => {
    expect(() => sqlStyle({ severity: { 'select-stars': 'error' } as never })).toThrowError('sqlStyle: unknown rule "select-stars"; rules are select-star, owner, required-tags');
    expect(() => sqlStyle({ severity: { owner: 'fatal' as never } })).toThrowError(/must be error, warning or off/);
  });
});

describe('findSelectStars() on DuckDB’s parse tree', () => {
  it('finds every star with its character offset', async () => {
    const ctx = await hookContext();
    try {
      const cases: Array<[string, number[]]> = [
        ['SELECT * FROM t', [7]],
        ['SELECT a, t.* EXCLUDE (b) FROM t', [10]],
        ['WITH x AS (SELECT * FROM t) SELECT a FROM x', [18]],
        ['SELECT 1 UNION ALL SELECT * FROM t', [26]],
        ['SELECT COLUMNS(*) FROM t', [7]],
        ["SELECT COLUMNS('a.*'), count(*) FROM t", []],
        // the comment holds a two-byte character: DuckDB counts bytes, the result counts characters
        ['-- café\nSELECT * FROM t', [15]],
        ['SELEC * FROM t', []],
      ];
      for (const [sql, expected] of cases) expect([sql, await findSelectStars(ctx.db, sql)]).toEqual([sql, expected]);
    } finally {
      await ctx.close();
    }
  });

  it('the hook alone returns SQL positions for the engine to map', async () => {
    const ctx = await hookContext();
    try {
      const diagnostics = await invokeHook(sqlStyle(), 'validate', testMetric({ name: 'a', sql: 'SELECT *\nFROM t' }), ctx);
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'STYLE_SELECT_STAR', severity: 'warning', sqlOffset: 7 })]);
    } finally {
      await ctx.close();
    }
  });
});
