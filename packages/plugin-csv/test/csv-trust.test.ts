// The CSV plugin under the engine, as an analyst's careless or hostile folder would have it: names that collide,
// names that are not identifiers, files that cannot be read, read options that change. Real DuckDB files.
import { symlink, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, quoteIdent } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { csv, tableName } from '../src/index.ts';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

async function open(files: Record<string, string>, options: Parameters<typeof csv>[0] = {}): Promise<Engine> {
  project = await projectDir(files);
  engine = createEngine({ cwd: project.dir, config: { plugins: [csv(options)], threads: 1 } });
  return engine;
}
const rows = async (e: Engine, table: string): Promise<number> => Number((await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`))[0]!.n);

describe('tableName', () => {
  it.each([
    ['data/orders.csv', 'orders'], ['data/order-items.csv', 'order_items'], ['data/Product Catalog.csv', 'Product_Catalog'],
    ['data/2024 sales.csv', 't_2024_sales'], ['data/a..b.csv', 'a_b'], ['data/-x-.csv', 'x'], ['data/über.csv', 'ber'], ['data/$$$.csv', 'csv'],
  ])('%s becomes table %s', (file, name) => {
    expect(tableName(file)).toBe(name);
  });
});

describe('csv() under the engine', () => {
  it('loads files whose names are not identifiers under plain names, and metrics read them unquoted', async () => {
    const e = await open({ 'data/order-items.csv': 'a,b\n1,2\n3,4\n', 'data/Product Catalog.csv': 'p\nx\n', 'metrics/m.yaml': metricYaml({ metric_name: 'm', sql: 'SELECT count(*) AS n FROM order_items JOIN Product_Catalog ON true' }) });
    const loaded = await e.load();
    expect(loaded.sources.map((s) => [s.file, s.name, s.status])).toEqual([['data/Product Catalog.csv', 'Product_Catalog', 'loaded'], ['data/order-items.csv', 'order_items', 'loaded']]);
    expect((await e.run()).metrics[0]).toMatchObject({ status: 'success', rows: 1 });
  });

  it.each([
    [{ 'data/ORDERS.csv': 'x\n1\n', 'data/orders.csv': 'x\n1\n2\n' }, 'ORDERS', 1],
    [{ 'data/order-items.csv': 'x\n1\n', 'data/order_items.csv': 'x\n1\n2\n' }, 'order_items', 1],
    [{ 'data/a b.csv': 'x\n1\n2\n3\n', 'data/a-b.csv': 'x\n1\n' }, 'a_b', 3],
  ])('refuses the second of two files that map to one table, keeping the first (%#)', async (files, kept, count) => {
    const e = await open(files);
    const loaded = await e.load();
    expect(loaded.ok).toBe(false);
    expect(loaded.sources.map((s) => s.status)).toEqual(['loaded', 'failed']);
    expect(loaded.sources[1]!.error).toMatchObject({ code: 'SOURCE_NAME_TAKEN', plugin: 'csv' });
    expect(await rows(e, kept)).toBe(count);
  });

  it('never loads over a metric table, and the metric keeps its rows', async () => {
    const e = await open({ 'data/orders.csv': 'id\n1\n2\n', 'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT count(*) AS n FROM orders' }) });
    await e.load();
    await e.run();
    await project!.write({ 'data/Total.csv': 'n\n99\n98\n97\n' });
    const loaded = await e.load();
    expect(loaded.sources.find((s) => s.file === 'data/Total.csv')).toMatchObject({ status: 'failed', error: { code: 'SOURCE_NAME_TAKEN', file: 'data/Total.csv' } });
    expect(await e.query('SELECT n FROM total')).toEqual([{ n: 2 }]);
  });

  it('loads every other file when one cannot be read or parsed, each failure naming its file', async () => {
    // A link to a folder cannot be read as a file (root reads any file whatever its mode, so permissions cannot show it).
    const e = await open({ 'data/a.csv': 'x\n1\n', 'data/c.csv': 'x\n1\n2\n', 'data/d.csv': 'n\n1\nnot a number\n', 'data/sub/keep.txt': '' }, { tables: { d: { types: { n: 'INTEGER' } } } });
    await symlink(project!.path('data', 'sub'), project!.path('data', 'b.csv'));
    const loaded = await e.load();
    expect(loaded.sources.find((s) => s.name === 'a')).toMatchObject({ status: 'loaded', rows: 1 });
    expect(loaded.sources.find((s) => s.name === 'c')).toMatchObject({ status: 'loaded', rows: 2 });
    expect(loaded.sources.find((s) => s.name === 'b')).toMatchObject({ status: 'failed', error: { code: 'CSV_UNREADABLE', file: 'data/b.csv', plugin: 'csv' } });
    expect(loaded.sources.find((s) => s.name === 'd')).toMatchObject({ status: 'failed', error: { code: 'CSV_LOAD_FAILED', file: 'data/d.csv', plugin: 'csv' } });
    expect(loaded.errors).toEqual([]);
  });

  it('reloads a table, and rebuilds what reads it, when its read options change', async () => {
    const files = { 'data/prices.csv': 'amount\n"1,5"\n"2,5"\n', 'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT sum(amount::DOUBLE) AS s FROM prices' }) };
    project = await projectDir(files);
    const first = createEngine({ cwd: project.dir, config: { plugins: [csv({ tables: { prices: { types: { amount: 'VARCHAR' } } } })], threads: 1 } });
    await first.load();
    await first.close();
    const second = createEngine({ cwd: project.dir, config: { plugins: [csv({ tables: { prices: { decimal_separator: ',', types: { amount: 'DOUBLE' } } } })], threads: 1 } });
    engine = second;
    const loaded = await second.load();
    expect(loaded.sources[0]).toMatchObject({ name: 'prices', status: 'loaded' });
    const run = await second.run();
    expect(run.metrics[0]).toMatchObject({ status: 'success' });
    expect(await second.query('SELECT s FROM total')).toEqual([{ s: 4 }]);
    expect((await second.load()).sources[0]).toMatchObject({ status: 'unchanged' });
  });

  it('says which tables: entry names no file, with a did-you-mean', async () => {
    const e = await open({ 'data/orders.csv': 'x\n1\n' }, { tables: { order: { delim: ';' } } });
    const loaded = await e.load();
    expect(loaded.sources.find((s) => s.name === 'order')).toMatchObject({ status: 'failed', error: { code: 'CSV_TABLE_UNKNOWN' } });
    expect(loaded.sources.find((s) => s.name === 'order')!.error!.message).toContain('did you mean "orders"');
    expect(await rows(e, 'orders')).toBe(1);
  });

  it('rejects a misspelt plugin option with the option it meant', () => {
    expect(() => csv({ dirr: 'raw' } as never)).toThrow(/unknown option "dirr" \(did you mean "dir"\?\)/);
  });

  it('reports a deleted file as missing, and keeps loading the rest', async () => {
    const e = await open({ 'data/a.csv': 'x\n1\n', 'data/b.csv': 'x\n1\n' });
    await e.load();
    const { rm } = await import('node:fs/promises');
    await rm(project!.path('data', 'b.csv'));
    await writeFile(project!.path('data', 'a.csv'), 'x\n1\n2\n');
    const loaded = await e.load();
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['a', 'loaded'], ['b', 'missing']]);
    expect(loaded.sources[1]!.error).toMatchObject({ severity: 'warning', code: 'SOURCE_FILE_MISSING', file: 'data/b.csv' });
  });
});
