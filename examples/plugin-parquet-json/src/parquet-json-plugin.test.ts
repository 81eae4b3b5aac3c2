import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '@duckmetrics/core';
import { expectDiagnostic, expectNoDiagnostics, hookContext, invokeHook, memoryEngine, metricYaml } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';
import { parquetJson, readerCall, tableFileKind } from './parquet-json-plugin.ts';

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

/** Writes a Parquet file with DuckDB itself: no binary fixtures in the repo. */
async function writeParquet(t: TestEngine, file: string, select: string): Promise<void> {
  await mkdir(path.dirname(t.project.path(file)), { recursive: true });
  await t.engine.query(`COPY (${select}) TO '${t.project.path(file).replace(/'/g, "''")}' (FORMAT parquet)`);
}

describe('parquetJson() through the engine', () => {
  it('loads Parquet, JSON arrays, NDJSON and JSONL files as tables named after the file', async () => {
    kit = await memoryEngine({
      plugins: [parquetJson()],
      files: {
        'data/customers.json': JSON.stringify([{ id: 1, state: 'SP' }, { id: 2, state: 'RJ' }]),
        'data/events.ndjson': '{"id":1,"kind":"view"}\n{"id":2,"kind":"buy"}\n{"id":3,"kind":"view"}\n',
        'data/clicks.jsonl': '{"id":1}\n',
        'data/notes.txt': 'ignored',
      },
    });
    await writeParquet(kit, 'data/orders.parquet', 'SELECT range AS order_id, range % 2 AS customer_id, range * 1.5 AS amount FROM range(5)');
    const loaded = await kit.engine.load();
    expectNoDiagnostics(loaded);
    expect(loaded.sources.map((s) => [s.name, s.file, s.rows, s.plugin, s.status])).toEqual([
      ['clicks', 'data/clicks.jsonl', 1, 'parquet-json', 'loaded'],
      ['customers', 'data/customers.json', 2, 'parquet-json', 'loaded'],
      ['events', 'data/events.ndjson', 3, 'parquet-json', 'loaded'],
      ['orders', 'data/orders.parquet', 5, 'parquet-json', 'loaded'],
    ]);
    expect(await kit.engine.query('SELECT state FROM customers ORDER BY id')).toEqual([{ state: 'SP' }, { state: 'RJ' }]);
    expect(await kit.engine.query('SELECT sum(amount) AS total FROM orders')).toEqual([{ total: 15 }]);
  });

  it('feeds metrics like any other source', async () => {
    kit = await memoryEngine({
      plugins: [parquetJson()],
      files: { 'metrics/spend.yaml': metricYaml({ metric_name: 'spend', sql: 'SELECT customer_id, sum(amount) AS spend\nFROM orders\nGROUP BY ALL\nORDER BY 1' }) },
    });
    await writeParquet(kit, 'data/orders.parquet', 'SELECT range AS order_id, range % 2 AS customer_id, 10 AS amount FROM range(4)');
    await kit.engine.load();
    const run = await kit.engine.run();
    expect(run.metrics).toMatchObject([{ name: 'spend', status: 'success', rows: 2 }]);
    expect(await kit.engine.query('SELECT * FROM spend ORDER BY customer_id')).toEqual([
      { customer_id: 0, spend: 20 },
      { customer_id: 1, spend: 20 },
    ]);
  });

  it('quotes table names and paths (quotes and spaces in file names)', async () => {
    kit = await memoryEngine({ plugins: [parquetJson()], files: { 'data/it\'s "odd".json': '[{"x":1}]' } });
    const loaded = await kit.engine.load();
    expect(loaded.sources).toMatchObject([{ name: 'it\'s "odd"', rows: 1, status: 'loaded' }]);
    expect(await kit.engine.query('SELECT x FROM "it\'s ""odd"""')).toEqual([{ x: 1 }]);
  });

  it('a file that fails to read keeps the previous table and names the file', async () => {
    kit = await memoryEngine({ plugins: [parquetJson()], files: { 'data/events.ndjson': '{"id":1}\n{"id":2}\n' } });
    expect((await kit.engine.load()).ok).toBe(true);
    await kit.project.write({ 'data/events.ndjson': '{"id":1}\n{"id":2}\n\n{"id": oops}\n', 'data/broken.parquet': 'not parquet at all' });
    const loaded = await kit.engine.load();
    expect(loaded.ok).toBe(false);
    expectDiagnostic(loaded, { code: 'JSON_LOAD_FAILED', plugin: 'parquet-json', file: 'data/events.ndjson', line: 4, severity: 'error', message: 'Malformed JSON' });
    expectDiagnostic(loaded, { code: 'PARQUET_LOAD_FAILED', plugin: 'parquet-json', file: 'data/broken.parquet' });
    expect(await kit.engine.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 2 }]);
    expect(await kit.engine.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'broken'")).toEqual([{ n: 0 }]);
  });

  it('reports two files for one table name instead of loading both', async () => {
    kit = await memoryEngine({ plugins: [parquetJson()], files: { 'data/a.json': '[{"x":1}]', 'data/a.jsonl': '{"x":2}\n{"x":3}\n' } });
    const loaded = await kit.engine.load();
    expectDiagnostic(loaded, { code: 'SOURCE_DUPLICATE', file: 'data/a.jsonl', message: 'a.json and a.jsonl' });
    expect(await kit.engine.query('SELECT x FROM a')).toEqual([{ x: 1 }]);
  });

  it('skips a file whose bytes did not change since the last load, unless forced', async () => {
    kit = await memoryEngine({ plugins: [parquetJson()], files: { 'data/a.json': '[{"x":1}]', 'data/b.json': '[{"x":1}]' } });
    const status = async (force = false): Promise<string[][]> => (await kit!.engine.load({ force })).sources.map((s) => [s.name, s.status, String(s.rows)]);
    expect(await status()).toEqual([['a', 'loaded', '1'], ['b', 'loaded', '1']]);
    await kit.project.write({ 'data/b.json': '[{"x":1},{"x":2}]' });
    expect(await status()).toEqual([['a', 'unchanged', '1'], ['b', 'loaded', '2']]);
    expect(await status(true)).toEqual([['a', 'loaded', '1'], ['b', 'loaded', '2']]);
  });

  it('warns and loads nothing when the folder is missing; honours `dir` and `kinds`', async () => {
    const warnings: string[] = [];
    kit = await memoryEngine({ plugins: [parquetJson({ dir: 'raw', kinds: ['ndjson'] })], files: { 'raw/a.json': '[{"x":1}]', 'raw/b.ndjson': '{"x":1}\n' }, logger: { warn: (m) => warnings.push(m) } });
    expect((await kit.engine.load()).sources.map((s) => s.name)).toEqual(['b']);
    const missing = await memoryEngine({ plugins: [parquetJson()], logger: { warn: (m) => warnings.push(m) } });
    expect((await missing.engine.load()).sources).toEqual([]);
    await missing.cleanup();
    expect(warnings).toEqual([expect.stringMatching(/^parquet-json: no data folder at .*data; no Parquet or JSON sources loaded$/)]);
  });
});

describe('parquetJson() hook in isolation', () => {
  it('reports rows and a content fingerprint that changes only with the bytes', async () => {
    kit = await memoryEngine({ files: { 'data/a.json': '[{"x":1},{"x":2}]' } });
    const ctx = await hookContext({ root: kit.project.dir });
    try {
      const first = await invokeHook(parquetJson(), 'loadSources', ctx, { previous: new Map() });
      expect(first).toMatchObject([{ name: 'a', path: kit.project.path('data', 'a.json'), rows: 2, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }]);
      const again = await invokeHook(parquetJson(), 'loadSources', ctx, { previous: new Map() });
      expect(again?.[0]?.fingerprint).toBe(first?.[0]?.fingerprint);
      await kit.project.write({ 'data/a.json': '[{"x":1},{"x":3}]' });
      const changed = await invokeHook(parquetJson(), 'loadSources', ctx, { previous: new Map() });
      expect(changed?.[0]?.fingerprint).not.toBe(first?.[0]?.fingerprint);
    } finally {
      await ctx.close();
    }
  });

  it('runs one transaction per table and rolls back on failure (a recording db, no DuckDB)', async () => {
    kit = await memoryEngine({ files: { 'data/good.json': '[]', 'data/bad.parquet': '' } });
    const statements: string[] = [];
    const db: Database = {
      async run(sql) {
        statements.push(sql);
        if (sql.includes('read_parquet')) throw new Error('IO Error: No magic bytes found at end of file');
      },
      async all(sql) {
        statements.push(sql);
        return [{ n: 0 }] as never[];
      },
      countStatements: async () => 1,
    };
    const ctx = await hookContext({ root: kit.project.dir, db });
    const loads = await invokeHook(parquetJson(), 'loadSources', ctx, { previous: new Map() });
    const bad = kit.project.path('data', 'bad.parquet').replace(/'/g, "''");
    const good = kit.project.path('data', 'good.json').replace(/'/g, "''");
    expect(statements).toEqual([
      'BEGIN TRANSACTION',
      `CREATE OR REPLACE TABLE "bad" AS SELECT * FROM read_parquet('${bad}')`,
      'ROLLBACK',
      'BEGIN TRANSACTION',
      `CREATE OR REPLACE TABLE "good" AS SELECT * FROM read_json_auto('${good}')`,
      'SELECT count(*) AS n FROM "good"',
      'COMMIT',
    ]);
    expect(loads).toMatchObject([
      { name: 'bad', error: { code: 'PARQUET_LOAD_FAILED', message: 'IO Error: No magic bytes found at end of file' } },
      { name: 'good', rows: 0 },
    ]);
  });

  it('maps extensions to readers', () => {
    expect(['a.parquet', 'b.JSON', 'c.ndjson', 'd.jsonl', 'e.csv'].map(tableFileKind)).toEqual(['parquet', 'json', 'ndjson', 'ndjson', undefined]);
    expect(readerCall("it's.jsonl", 'ndjson')).toBe("read_json_auto('it''s.jsonl', format = 'newline_delimited')");
  });
});
