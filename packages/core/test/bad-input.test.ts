import { existsSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin, quoteLiteral } from '@duckmetrics/core';
import type { Engine, MetricRunResult, MetricValidation } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * Every file of fixtures/bad-metrics and what must come of it: the first error's code and line (`undefined` when
 * the file has no lines to point at), and `name` (null when the file cannot be read that far). Files starting
 * with `good_` must build.
 */
const CORPUS: Record<string, { code: string; line: number | undefined; name: string | null }> = {
  // The file itself
  'empty.yaml': { code: 'METRIC_EMPTY', line: 1, name: null },
  'comments_only.yaml': { code: 'METRIC_EMPTY', line: 1, name: null },
  'list.yaml': { code: 'METRIC_NOT_MAP', line: 1, name: null },
  'scalar.yaml': { code: 'METRIC_NOT_MAP', line: 1, name: null },
  'yaml_syntax.yaml': { code: 'YAML_SYNTAX', line: 3, name: null }, // the indented key, where the fix is
  'yaml_unclosed_quote.yaml': { code: 'YAML_SYNTAX', line: 2, name: null },
  'yaml_unclosed_list.yaml': { code: 'YAML_SYNTAX', line: 4, name: null },
  'yaml_duplicate_key.yaml': { code: 'YAML_SYNTAX', line: 2, name: null },
  'yaml_alias_bomb.yaml': { code: 'YAML_SYNTAX', line: 1, name: null },
  'binary.yaml': { code: 'FILE_NOT_TEXT', line: undefined, name: null },
  'not_utf8.yaml': { code: 'FILE_NOT_TEXT', line: undefined, name: null },
  // Schema: missing, empty, wrong types, names, keys, schedules
  'missing_owner.yaml': { code: 'SCHEMA_MISSING_FIELD', line: 1, name: 'no_owner' },
  'empty_owner.yaml': { code: 'SCHEMA_MISSING_FIELD', line: 3, name: 'empty_owner' },
  'blank_description.yaml': { code: 'SCHEMA_MISSING_FIELD', line: 2, name: 'blank_description' },
  'empty_sql.yaml': { code: 'SCHEMA_MISSING_FIELD', line: 5, name: 'empty_sql' },
  'misspelt_required_key.yaml': { code: 'SCHEMA_MISSING_FIELD', line: 2, name: 'misspelt_required' },
  'name_number.yaml': { code: 'SCHEMA_INVALID', line: 1, name: null },
  'tags_not_list.yaml': { code: 'SCHEMA_INVALID', line: 5, name: 'tags_not_list' },
  'sql_list.yaml': { code: 'SCHEMA_INVALID', line: 5, name: 'sql_list' },
  'sql_map.yaml': { code: 'SCHEMA_INVALID', line: 6, name: 'sql_map' },
  'name_hyphen.yaml': { code: 'SCHEMA_INVALID', line: 1, name: 'my-metric' },
  'name_spaces.yaml': { code: 'SCHEMA_INVALID', line: 1, name: 'my metric' },
  'name_leading_digit.yaml': { code: 'SCHEMA_INVALID', line: 1, name: '1st_metric' },
  'name_injection.yaml': { code: 'SCHEMA_INVALID', line: 1, name: 'x; DROP TABLE orders; --' },
  'schedule_words.yaml': { code: 'SCHEMA_INVALID', line: 4, name: 'bad_cron' },
  'schedule_out_of_range.yaml': { code: 'SCHEMA_INVALID', line: 4, name: 'bad_cron_minute' },
  // A "\0" escape: DuckDB would cut the SQL text there (found by the fuzz test, through the run history).
  'nul_in_sql.yaml': { code: 'SCHEMA_INVALID', line: 5, name: 'nul_in_sql' },
  'nul_in_name.yaml': { code: 'SCHEMA_INVALID', line: 1, name: null },
  // Names across files
  'duplicate_a.yaml': { code: 'METRIC_DUPLICATE', line: 1, name: 'Duplicated' },
  'duplicate_b.yaml': { code: 'METRIC_DUPLICATE', line: 1, name: 'duplicated' },
  'shadows_source.yaml': { code: 'METRIC_SHADOWS_SOURCE', line: 1, name: 'orders' },
  // SQL that is not one SELECT (line 6: the first line of the `sql: |` block)
  'sql_drop.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_drop' },
  'sql_delete.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_delete' },
  'sql_insert.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_insert' },
  'sql_update.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_update' },
  'sql_create.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_create' },
  'sql_copy_to.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_copy_to' },
  'sql_attach.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_attach' },
  'sql_set.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_set' },
  'sql_pragma.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_pragma' },
  'sql_install.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_install' },
  'sql_load.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_load' },
  'sql_call.yaml': { code: 'SQL_NOT_SELECT', line: 6, name: 'sql_call' },
  'sql_two_statements.yaml': { code: 'SQL_MULTIPLE_STATEMENTS', line: 6, name: 'sql_two' },
  'sql_two_selects.yaml': { code: 'SQL_MULTIPLE_STATEMENTS', line: 6, name: 'sql_two_selects' },
  'sql_comment_only.yaml': { code: 'SQL_EMPTY', line: 6, name: 'sql_comment_only' },
  'sql_syntax.yaml': { code: 'SQL_PARSER', line: 6, name: 'sql_syntax' },
  'unknown_table.yaml': { code: 'TABLE_UNKNOWN', line: 6, name: 'unknown_table' },
  'unknown_column.yaml': { code: 'SQL_BINDER', line: 6, name: 'unknown_column' },
  // Escapes from the database: stopped by the sandbox
  'sandbox_read_csv.yaml': { code: 'SANDBOX', line: 6, name: 'sandbox_read_csv' },
  'sandbox_read_text.yaml': { code: 'SANDBOX', line: 6, name: 'sandbox_read_text' },
  'sandbox_glob.yaml': { code: 'SANDBOX', line: 6, name: 'sandbox_glob' },
  'sandbox_http.yaml': { code: 'SANDBOX', line: 6, name: 'sandbox_http' },
  'sandbox_parquet.yaml': { code: 'SANDBOX', line: 6, name: 'sandbox_parquet' },
};
const GOOD: Record<string, { name: string; rows: number }> = {
  'good_revenue.yaml': { name: 'revenue_per_customer', rows: 3 },
  'good_order_count.yaml': { name: 'order_count', rows: 1 },
  'good_misspelt_optional_key.yaml': { name: 'orders_by_state', rows: 3 },
};

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = undefined;
  project = undefined;
});

/** A project with the corpus as its metrics and the fixture CSVs as its sources, loaded. */
async function corpusProject(): Promise<Engine> {
  project = await projectDir({});
  await cp(`${FIXTURES}bad-metrics`, project.path('metrics'), { recursive: true });
  await cp(`${FIXTURES}sources`, project.path('data'), { recursive: true });
  engine = createEngine({ cwd: project.dir });
  expect((await engine.load()).ok).toBe(true);
  return engine;
}

async function sourceCounts(e: Engine): Promise<Record<string, number>> {
  const [row] = await e.query<{ orders: number; customers: number }>('SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM customers) AS customers');
  return { ...row! };
}

function expectCorpus(results: ReadonlyArray<MetricValidation | MetricRunResult>): void {
  for (const [file, expected] of Object.entries(CORPUS)) {
    const entries = results.filter((r) => r.file === `metrics/${file}`);
    expect(entries, file).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.name, file).toBe(expected.name);
    const first = entry!.errors[0];
    expect({ file, code: first?.code, line: first?.line, at: first?.file }).toEqual({ file, code: expected.code, line: expected.line, at: `metrics/${file}` });
    expect(first?.message.length, file).toBeGreaterThan(5);
    expect(first?.message, file).not.toMatch(/\n\s+at .*:\d+:\d+/);
  }
}

describe('a corpus of bad metric files (fixtures/bad-metrics)', () => {
  it('has an expectation for every fixture file', async () => {
    const files = (await readdir(`${FIXTURES}bad-metrics`)).sort();
    expect(files).toEqual(Object.keys({ ...CORPUS, ...GOOD }).sort());
  });

  it('validate reports each bad file with its code, file and line; the good ones are valid', async () => {
    const e = await corpusProject();
    const result = await e.validate();
    expect(result.ok).toBe(false);
    expect(result.metrics).toHaveLength(Object.keys(CORPUS).length + Object.keys(GOOD).length);
    expectCorpus(result.metrics);
    for (const [file, good] of Object.entries(GOOD)) {
      expect(result.metrics.find((m) => m.file === `metrics/${file}`), file).toMatchObject({ name: good.name, status: 'valid', errors: [] });
    }
    expect(result.metrics.find((m) => m.file === 'metrics/good_misspelt_optional_key.yaml')?.warnings[0]).toMatchObject({ code: 'SCHEMA_UNKNOWN_KEY', line: 5, message: expect.stringContaining('did you mean "tags"') });
    expect(await sourceCounts(e)).toEqual({ orders: 4, customers: 3 });
  });

  it('run builds the good metrics beside them, fails every bad file, and touches no source', async () => {
    const e = await corpusProject();
    const result = await e.run();
    expect(result.ok).toBe(false);
    expectCorpus(result.metrics);
    for (const [file, good] of Object.entries(GOOD)) {
      expect(result.metrics.find((m) => m.file === `metrics/${file}`), file).toMatchObject({ name: good.name, status: 'success', rows: good.rows });
    }
    for (const m of result.metrics.filter((r) => !(r.file.slice('metrics/'.length) in GOOD))) expect(m.status, m.file).toBe('failed');
    expect(await sourceCounts(e)).toEqual({ orders: 4, customers: 3 });
    const tables = (await e.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).map((r) => r.t);
    expect(tables).toEqual(['customers', 'order_count', 'orders', 'orders_by_state', 'revenue_per_customer']);
    expect(existsSync(project!.path('stolen.csv'))).toBe(false);
    expect(existsSync(project!.path('other.duckdb'))).toBe(false);
    // A second run: the good ones are up to date, the bad ones are still reported, nothing else changed.
    const again = await e.run();
    expectCorpus(again.metrics);
    expect(again.metrics.filter((m) => m.status === 'skipped').map((m) => m.reason)).toEqual(['up to date', 'up to date', 'up to date']);
    expect(await sourceCounts(e)).toEqual({ orders: 4, customers: 3 });
  });

  it('names the file of a broken config', async () => {
    project = await projectDir({});
    await cp(`${FIXTURES}broken-config`, project.dir, { recursive: true });
    engine = createEngine({ cwd: project.dir });
    await expect(engine.validate()).rejects.toMatchObject({ code: 'CONFIG_INVALID', file: project.path('metrics.config.json') });
  });
});

describe('a folder with hundreds of metric files', () => {
  it('validates all 300 and builds every good one when a few are bad', async () => {
    const files: Record<string, string> = { 'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n' };
    const bad = new Map<number, { content: string; code: string }>([
      [17, { content: '', code: 'METRIC_EMPTY' }],
      [42, { content: metricYaml({ metric_name: 'm_042', sql: 'SELECT * FROM nowhere' }), code: 'TABLE_UNKNOWN' }],
      [99, { content: 'metric_name: [oops\n', code: 'YAML_SYNTAX' }],
      [150, { content: metricYaml({ metric_name: 'm_150', sql: 'DROP TABLE orders' }), code: 'SQL_NOT_SELECT' }],
      [151, { content: metricYaml({ metric_name: 'm_151', sql: 'SELECT total FROM m_150' }), code: 'UPSTREAM_INVALID' }],
      [299, { content: metricYaml({ metric_name: 'm_000', sql: 'SELECT 1 AS x' }), code: 'METRIC_DUPLICATE' }],
    ]);
    for (let i = 0; i < 300; i++) {
      const name = `m_${String(i).padStart(3, '0')}`;
      // Every tenth metric reads the one before it, so validation also has to expose shapes across files.
      const sql = i % 10 === 9 ? `SELECT total + ${i} AS total FROM m_${String(i - 1).padStart(3, '0')}` : `SELECT sum(amount) + ${i} AS total FROM orders`;
      files[`metrics/group_${i % 7}/${name}.yaml`] = bad.get(i)?.content ?? metricYaml({ metric_name: name, sql });
    }
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir, config: { threads: 2 } });
    expect((await engine.load()).ok).toBe(true);
    const validated = await engine.validate();
    expect(validated.metrics).toHaveLength(300);
    const invalid = validated.metrics.filter((m) => m.status === 'invalid');
    // m_000 is a duplicate of the last file's name: both are reported.
    expect(invalid.map((m) => m.errors[0]?.code).sort()).toEqual(['METRIC_DUPLICATE', ...[...bad.values()].map((b) => b.code)].sort());
    const run = await engine.run();
    expect(run.metrics).toHaveLength(300);
    const built = run.metrics.filter((m) => m.status === 'success');
    expect(built).toHaveLength(300 - invalid.length);
    expect(built.every((m) => m.rows === 1)).toBe(true);
    expect(await engine.query('SELECT total FROM m_009')).toEqual([{ total: 17 + 8 + 9 }]);
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });
});

describe('one metric that breaks the validation transaction', () => {
  it('does not fail the metrics validated after it (c still sees a through its view)', async () => {
    project = await projectDir({
      'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }),
      'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'SELECT 2 AS x' }),
      'metrics/c.yaml': metricYaml({ metric_name: 'c', sql: 'SELECT x + 1 AS y FROM a' }),
    });
    // A runtime error inside a DuckDB transaction aborts it (as a failed extension autoload does with sandbox: false).
    const aborting = definePlugin({
      name: 'aborting',
      async validate(metric, ctx) {
        if (metric.name !== 'b') return [];
        try {
          await ctx.db.all("SELECT error('boom')");
          return [];
        } catch (error) {
          return [{ code: 'ABORTED_IT', message: (error as Error).message }];
        }
      },
    });
    // Runs each metric's SQL in the validation transaction, as a validator does: c resolves only if a's view is back.
    const explain = definePlugin({
      name: 'explain',
      async validate(metric, ctx) {
        try {
          await ctx.db.run(`EXPLAIN ${metric.sql}`);
          return [];
        } catch (error) {
          return [{ code: 'EXPLAIN_FAILED', message: (error as Error).message }];
        }
      },
    });
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:', plugins: [aborting, explain] } });
    const result = await engine.validate();
    expect(result.metrics.map((m) => [m.name, m.status, m.errors.map((d) => d.code)])).toEqual([
      ['a', 'valid', []],
      ['b', 'invalid', ['ABORTED_IT']],
      ['c', 'valid', []],
    ]);
    expect((await engine.run()).metrics.map((m) => [m.name, m.status])).toEqual([['a', 'success'], ['b', 'failed'], ['c', 'success']]);
  });
});

describe('quoteLiteral', () => {
  it('keeps a NUL character, which SQL text cannot hold, as chr(0)', async () => {
    project = await projectDir({});
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:', plugins: [] } });
    expect(quoteLiteral("it's\0x")).toBe("('it''s' || chr(0) || 'x')");
    expect(await engine.query(`SELECT ${quoteLiteral('a\0b')} = 'a' || chr(0) || 'b' AS same, length(${quoteLiteral('a\0b')}) AS n`)).toEqual([{ same: true, n: 3 }]);
  });
});
