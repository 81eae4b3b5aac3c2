// postgres() through the engine against a real PostgreSQL server: types, full loads, unchanged skips, incremental
// merges, --force, and every error with its code (and never the password).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectDiagnostic, memoryEngine, metricYaml } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';
import { csv } from '@duckmetrics/plugin-csv';
import { postgres } from '@duckmetrics/plugin-postgres';
import type { PostgresPluginOptions } from '@duckmetrics/plugin-postgres';
import { createShop, LOADER } from './fixtures.ts';
import { startPostgres } from './pg-server.ts';
import type { PgServer } from './pg-server.ts';

let server: PgServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

let kit: TestEngine | undefined;
const messages: string[] = [];
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
  messages.length = 0;
});

let databases = 0;
/** A fresh `shop` database per test, so tests do not see each other's changes. */
function freshShop(): { url: string; db: string } {
  const db = `shop${++databases}`;
  return { url: createShop(server, db), db };
}

async function engineFor(options: PostgresPluginOptions, files: Record<string, string> = {}): Promise<TestEngine> {
  const log = (m: string): number => messages.push(m);
  kit = await memoryEngine({ plugins: [postgres(options)], files, logger: { debug: log, info: log, warn: log } });
  return kit;
}

describe('types', () => {
  it('maps every PostgreSQL type faithfully, NULLs stay NULL and empty strings stay empty', async () => {
    const { url } = freshShop();
    const { engine } = await engineFor({ url, tables: ['public.everything'] });
    expect((await engine.load()).sources).toMatchObject([{ name: 'everything', plugin: 'postgres', status: 'loaded', rows: 4 }]);
    const types = await engine.query<{ c: string; t: string }>("SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = 'everything' ORDER BY ordinal_position");
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({
      id: 'INTEGER', small: 'SMALLINT', big: 'BIGINT', price: 'DECIMAL(12,2)', wide: 'DOUBLE', free: 'DOUBLE', ratio: 'DOUBLE',
      label: 'VARCHAR', code: 'VARCHAR', letter: 'VARCHAR', flag: 'BOOLEAN', day: 'DATE', at: 'TIMESTAMP', at_tz: 'TIMESTAMP WITH TIME ZONE',
      uid: 'UUID', doc: 'JSON', docb: 'JSON', tags: 'VARCHAR[]', nums: 'INTEGER[]', feeling: 'VARCHAR', feelings: 'VARCHAR[]', blob: 'BLOB', dur: 'INTERVAL',
    });
    const rows = await engine.query(`SELECT id, small, big::VARCHAR AS big, price::VARCHAR AS price, free, ratio, label, code, letter, flag, day::VARCHAR AS day,
      "at"::VARCHAR AS "at", epoch_ms(at_tz) AS at_tz_ms, uid::VARCHAR AS uid, doc::VARCHAR AS doc, docb->>'z' AS z, tags, nums, feeling, feelings,
      hex(blob) AS blob, to_seconds(0) + dur AS dur FROM everything ORDER BY id`);
    expect(rows[0]).toEqual({
      id: 1, small: -32768, big: '9007199254740993', price: '12345.67', free: 3.25, ratio: 0.1, label: 'comma, "quote"\nnew line', code: 'abc', letter: 'ab ',
      flag: true, day: '2024-02-29', at: '2024-03-10 12:34:56.789',
      // written as 12:34:56.789 in America/Sao_Paulo (UTC-3): the instant is kept
      at_tz_ms: Date.parse('2024-03-10T15:34:56.789Z'),
      uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', doc: '{"a": [1, 2], "b": null}', z: 'é', tags: ['x,y', 'say "hi"', null, ''], nums: [1, null, 3],
      feeling: 'happy', feelings: ['sad', 'ok'], blob: '00FF10', dur: { months: 0, days: 1, micros: 7_384_500_000 },
    });
    expect(Object.entries(rows[1]!).filter(([k, v]) => k !== 'id' && v !== null)).toEqual([]);
    expect(rows[2]).toMatchObject({ free: Number.NaN, ratio: Number.POSITIVE_INFINITY, label: '', code: '', letter: '   ', flag: false, tags: [], nums: [], feelings: [], blob: '' });
    // the text \N and the word NULL are values, not NULL
    expect(rows[3]).toMatchObject({ label: '\\N', code: 'NULL', tags: ['\\N'], feelings: null, doc: '"s"' });
    const [wide] = await engine.query<{ wide: number }>('SELECT wide FROM everything WHERE id = 1');
    expect(wide!.wide).toBeCloseTo(1.2345678901234568e39, -25);
  });
});

describe('loads', () => {
  it('loads tables and queries under their names, and a metric builds on them', async () => {
    const { url } = freshShop();
    const { engine } = await engineFor(
      { url, tables: ['public.customers', 'orders'], queries: { paying_customers: 'SELECT id, email FROM public.customers WHERE paid;' } },
      { 'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT c.email, sum(o.amount) AS revenue FROM orders o JOIN paying_customers c ON c.id = o.customer_id GROUP BY 1 ORDER BY 1' }) },
    );
    const loaded = await engine.load();
    expect(loaded.ok).toBe(true);
    expect(loaded.sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'loaded', 3], ['orders', 'loaded', 3], ['paying_customers', 'loaded', 2]]);
    expect((await engine.run()).metrics).toMatchObject([{ name: 'revenue', status: 'success', rows: 2 }]);
    expect(await engine.query('SELECT email, revenue::VARCHAR AS revenue FROM revenue')).toEqual([
      { email: 'ana@example.com', revenue: '15.50' },
      { email: 'cy@example.com', revenue: '7.25' },
    ]);
    expect(messages.join('\n')).not.toContain(LOADER.password);
  });

  it('skips an unchanged table without copying it again, and copies it again once PostgreSQL changed', async () => {
    const { url, db } = freshShop();
    const { engine } = await engineFor({ url, tables: ['customers'], queries: { paying: 'SELECT id FROM customers WHERE paid' } });
    await engine.load();
    // A marker in DuckDB's copy: a re-copy would overwrite it.
    await engine.query("UPDATE customers SET email = 'marker' WHERE id = 1");
    const second = await engine.load();
    expect(second.sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'unchanged', 3], ['paying', 'unchanged', 2]]);
    expect(await engine.query('SELECT email FROM customers WHERE id = 1')).toEqual([{ email: 'marker' }]);

    server.psql("UPDATE customers SET paid = true WHERE id = 2", db);
    const third = await engine.load();
    expect(third.sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'loaded', 3], ['paying', 'loaded', 3]]);
    expect(await engine.query('SELECT email FROM customers WHERE id = 1')).toEqual([{ email: 'ana@example.com' }]);
  });

  it('incremental: copies only rows whose cursor moved and merges them by key; deletes upstream and --force reload all', async () => {
    const { url, db } = freshShop();
    const { engine } = await engineFor({ url, tables: ['public.orders'], incremental: { orders: { key: ['id'], cursor: 'updated_at' } } });
    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 3 }]);
    // Markers on rows at or before the loaded maximum: a row that is copied again loses its marker.
    await engine.query('UPDATE orders SET amount = 999 WHERE id IN (1, 3)');

    server.psql(`UPDATE orders SET amount = 6.50, updated_at = '2024-02-01 10:00:00+00' WHERE id = 2;
      INSERT INTO orders VALUES (4, 2, 20.00, '2024-02-02 10:00:00+00')`, db);
    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 4 }]);
    const amounts = async (): Promise<unknown[]> => engine.query('SELECT id, amount::VARCHAR AS amount FROM orders ORDER BY id');
    // id 1 was not copied again; id 3 had the old maximum cursor, so it was copied again (>=) and merged
    expect(await amounts()).toEqual([{ id: 1, amount: '999.00' }, { id: 2, amount: '6.50' }, { id: 3, amount: '7.25' }, { id: 4, amount: '20.00' }]);

    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'unchanged', rows: 4 }]);

    // A delete is invisible to a cursor: the row count tells, and the table is copied in full.
    server.psql('DELETE FROM orders WHERE id = 4', db);
    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 3 }]);
    expect(await amounts()).toEqual([{ id: 1, amount: '10.00' }, { id: 2, amount: '6.50' }, { id: 3, amount: '7.25' }]);

    await engine.query('UPDATE orders SET amount = 999 WHERE id = 1');
    expect((await engine.load({ force: true })).sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 3 }]);
    expect(await amounts()).toEqual([{ id: 1, amount: '10.00' }, { id: 2, amount: '6.50' }, { id: 3, amount: '7.25' }]);
  });

  it('a query with a cursor is skipped while its row count and maximum cursor stay the same', async () => {
    const { url, db } = freshShop();
    const { engine } = await engineFor({ url, queries: { big_orders: 'SELECT id, amount, updated_at FROM orders WHERE amount > 6' }, incremental: { big_orders: { key: ['id'], cursor: 'updated_at' } } });
    expect((await engine.load()).sources).toMatchObject([{ name: 'big_orders', status: 'loaded', rows: 2 }]);
    expect((await engine.load()).sources).toMatchObject([{ name: 'big_orders', status: 'unchanged', rows: 2 }]);
    server.psql("UPDATE orders SET amount = 8, updated_at = '2024-03-01 00:00:00+00' WHERE id = 2", db);
    expect((await engine.load()).sources).toMatchObject([{ name: 'big_orders', status: 'loaded', rows: 3 }]);
  });
});

describe('errors', () => {
  it('connection refused: every source fails with PG_CONNECTION_FAILED, naming where it tried', async () => {
    const url = `postgres://${LOADER.user}:${LOADER.password}@127.0.0.1:1/shop`;
    const { engine } = await engineFor({ url, tables: ['customers', 'orders'] });
    const loaded = await engine.load();
    expect(loaded.sources.map((s) => [s.name, s.status, s.error?.code])).toEqual([['customers', 'failed', 'PG_CONNECTION_FAILED'], ['orders', 'failed', 'PG_CONNECTION_FAILED']]);
    expectDiagnostic(loaded, { code: 'PG_CONNECTION_FAILED', plugin: 'postgres', message: 'cannot connect to postgres://loader@127.0.0.1:1/shop: connection refused' });
    expect(JSON.stringify(loaded)).not.toContain(LOADER.password);
  });

  it('authentication failed: PG_AUTH_FAILED, and neither the wrong nor the right password appears anywhere', async () => {
    freshShop();
    const wrong = 'Wr0ng-pa$$word';
    const { engine } = await engineFor({ url: server.url(LOADER.user, wrong, 'postgres'), tables: ['customers'] });
    const loaded = await engine.load();
    const d = expectDiagnostic(loaded, { code: 'PG_AUTH_FAILED', plugin: 'postgres', message: 'password authentication failed for user "loader"' });
    expect(d.hint).toMatch(/DATABASE_URL/);
    const everything = JSON.stringify(loaded) + messages.join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(encodeURIComponent(wrong));
    expect(everything).not.toContain(LOADER.password);
  });

  it('a missing table says did-you-mean, permission denied says what to grant, a non-SELECT query is refused; the others still load', async () => {
    const { url, db } = freshShop();
    const { engine } = await engineFor({
      url,
      tables: ['public.custmers', 'secrets', 'orders'],
      queries: { wipe: 'DELETE FROM customers RETURNING id', two: 'SELECT 1 AS a; SELECT 2 AS b', sneaky: 'WITH d AS (DELETE FROM customers RETURNING id) SELECT * FROM d', paying: 'SELECT id FROM customers WHERE paid' },
    });
    const loaded = await engine.load();
    expect(loaded.ok).toBe(false);
    expect(loaded.sources.map((s) => [s.name, s.status, s.error?.code])).toEqual([
      ['custmers', 'failed', 'PG_TABLE_UNKNOWN'],
      ['secrets', 'failed', 'PG_PERMISSION_DENIED'],
      ['orders', 'loaded', undefined],
      ['wipe', 'failed', 'PG_QUERY_INVALID'],
      ['two', 'failed', 'PG_QUERY_INVALID'],
      ['sneaky', 'failed', 'PG_QUERY_INVALID'],
      ['paying', 'loaded', undefined],
    ]);
    expectDiagnostic(loaded, { code: 'PG_TABLE_UNKNOWN', message: 'table public.custmers does not exist (did you mean "public.customers"?)' });
    const denied = expectDiagnostic(loaded, { code: 'PG_PERMISSION_DENIED', message: 'permission denied for table secrets' });
    expect(denied.hint).toContain('GRANT SELECT ON "public"."secrets" TO loader');
    expectDiagnostic(loaded, { code: 'PG_QUERY_INVALID', message: 'queries.wipe is not one valid SELECT: it is a DELETE statement, not a SELECT' });
    // nothing was deleted
    expect(server.psql('SELECT count(*) FROM customers', db).trim()).toBe('3');
    expect(JSON.stringify(loaded)).not.toContain(LOADER.password);
  });

  it('no url, or a database that does not exist: PG_CONNECTION_FAILED with the fix', async () => {
    freshShop();
    const { engine } = await engineFor({ url: undefined, tables: ['customers'] });
    expectDiagnostic(await engine.load(), { code: 'PG_CONNECTION_FAILED', message: 'no url (is DATABASE_URL set?)' });
    await kit?.cleanup();
    const { engine: other } = await engineFor({ url: server.url(LOADER.user, LOADER.password, 'nowhere'), tables: ['customers'] });
    const d = expectDiagnostic(await other.load(), { code: 'PG_CONNECTION_FAILED', message: 'database "nowhere" does not exist' });
    expect(d.hint).toMatch(/database name/);
  });

  it('a value DuckDB cannot hold fails that table with PG_LOAD_FAILED and keeps its previous copy; the next table loads', async () => {
    const { url, db } = freshShop();
    server.psql(`CREATE TABLE prices (id int, price numeric(5,2)); INSERT INTO prices VALUES (1, 1.5); GRANT SELECT ON prices TO ${LOADER.user}`, db);
    const { engine } = await engineFor({ url, tables: ['prices', 'customers'] });
    await engine.load();
    server.psql("INSERT INTO prices VALUES (2, 'NaN')", db);
    const loaded = await engine.load();
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['prices', 'failed'], ['customers', 'unchanged']]);
    const d = expectDiagnostic(loaded, { code: 'PG_LOAD_FAILED', plugin: 'postgres' });
    expect(d.message).toBe('postgres: table public.prices: column price (numeric(5,2), loaded as DECIMAL(5,2)) cannot hold the value "NaN" (row 2 of the copy)');
    expect(await engine.query('SELECT id FROM prices')).toEqual([{ id: 1 }]);
  });

  it('a failed reload keeps the previous table', async () => {
    const { url, db } = freshShop();
    const { engine } = await engineFor({ url, tables: ['customers'] });
    await engine.load();
    server.psql(`REVOKE SELECT ON customers FROM ${LOADER.user}`, db);
    expectDiagnostic(await engine.load(), { code: 'PG_PERMISSION_DENIED' });
    expect(await engine.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 3 }]);
  });

  it('a name another source holds is refused with SOURCE_NAME_TAKEN', async () => {
    const { url } = freshShop();
    kit = await memoryEngine({ plugins: [csv(), postgres({ url, tables: ['customers', 'orders'] })], files: { 'data/customers.csv': 'id\n1\n' } });
    const loaded = await kit.engine.load();
    expect(loaded.sources.map((s) => [s.name, s.plugin, s.status, s.error?.code])).toEqual([
      ['customers', 'csv', 'loaded', undefined],
      ['customers', 'postgres', 'failed', 'SOURCE_NAME_TAKEN'],
      ['orders', 'postgres', 'loaded', undefined],
    ]);
  });

  it('options are checked when the config loads', () => {
    expect(() => postgres({ url: 'x', tabels: [] } as never)).toThrow(/unknown option "tabels" \(did you mean "tables"\?\)/);
    expect(() => postgres({ url: 'x', tables: ['a.b.c'] })).toThrow(/not a table name/);
    expect(() => postgres({ url: 'x', tables: ['public.orders', 'sales.orders'] })).toThrow(/both load into table "orders"/);
    expect(() => postgres({ url: 'x', tables: ['orders'], incremental: { order: { key: ['id'], cursor: 'updated_at' } } })).toThrow(/did you mean "orders"/);
    expect(() => postgres({ url: 'x', tables: ['orders'], incremental: { orders: { key: [], cursor: 'updated_at' } } })).toThrow(/needs key/);
  });

  it('an incremental column the source does not have is a PG_OPTIONS_INVALID with did-you-mean', async () => {
    const { url } = freshShop();
    const { engine } = await engineFor({ url, tables: ['orders'], incremental: { orders: { key: ['id'], cursor: 'updatedat' } } });
    expectDiagnostic(await engine.load(), { code: 'PG_OPTIONS_INVALID', message: 'names column "updatedat", which table public.orders does not have (did you mean "updated_at"?)' });
  });
});
