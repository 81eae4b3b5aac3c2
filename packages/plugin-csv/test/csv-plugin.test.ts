import { appendFile, readFile, utimes, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { expectDiagnostic, hookContext, invokeHook, memoryEngine, metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject, TestEngine } from '@duckmetrics/core/testing';
import { csv, fileFingerprint, readCsvArguments } from '@duckmetrics/plugin-csv';

const orders = 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n';
const customers = 'customer_id,name\n10,Ana\n11,Bo\n';

let kit: TestEngine | undefined;
let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  await engine?.close();
  await project?.cleanup();
  kit = undefined;
  engine = undefined;
  project = undefined;
});

async function tables(e: Engine): Promise<string[]> {
  return (await e.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).map((r) => r.t);
}

async function columnTypes(e: Engine, table: string): Promise<Record<string, string>> {
  const rows = await e.query<{ c: string; t: string }>(
    `SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
  );
  return Object.fromEntries(rows.map((r) => [r.c, r.t]));
}

describe('csv() through the engine', () => {
  it('loads every *.csv of data/ as a table named after the file, with its row count; other files and subfolders are not read', async () => {
    kit = await memoryEngine({
      plugins: [csv()],
      files: {
        'data/orders.csv': orders,
        'data/customers.csv': customers,
        "data/it's odd.CSV": 'x\n1\n',
        'data/notes.txt': 'not a table\n',
        'data/archive/old.csv': 'x\n1\n2\n',
        'metrics/order_count.yaml': metricYaml({ metric_name: 'order_count', sql: 'SELECT count(*) AS n FROM orders' }),
      },
    });
    const loaded = await kit.engine.load();
    expect(loaded).toMatchObject({ ok: true, errors: [] });
    expect(loaded.sources.map((s) => [s.name, s.plugin, s.status, s.file, s.rows])).toEqual([
      ['customers', 'csv', 'loaded', 'data/customers.csv', 2],
      ['it_s_odd', 'csv', 'loaded', "data/it's odd.CSV", 1],
      ['orders', 'csv', 'loaded', 'data/orders.csv', 3],
    ]);
    expect(await tables(kit.engine)).toEqual(['customers', 'it_s_odd', 'orders']);
    expect(await kit.engine.query('SELECT count(*) AS n FROM it_s_odd')).toEqual([{ n: 1 }]);
    expect((await kit.engine.run()).metrics).toMatchObject([{ name: 'order_count', status: 'success', rows: 1 }]);
    expect(await kit.engine.query('SELECT n FROM order_count')).toEqual([{ n: 3 }]);
  });

  it('reads the folder given as dir, relative to the project root', async () => {
    kit = await memoryEngine({ plugins: [csv({ dir: 'raw/csv' })], files: { 'raw/csv/orders.csv': orders, 'data/customers.csv': customers } });
    const loaded = await kit.engine.load();
    expect(loaded.sources).toMatchObject([{ name: 'orders', status: 'loaded', file: 'raw/csv/orders.csv', rows: 3 }]);
    expect(await tables(kit.engine)).toEqual(['orders']);
  });

  it('passes per-table read_csv options (delim, types, header and names, dateformat, nullstr) to that table only', async () => {
    kit = await memoryEngine({
      plugins: [
        csv({
          tables: {
            semicolon: { delim: ';', types: { amount: 'DECIMAL(10,2)' } },
            headerless: { header: false, names: ['id', 'label'] },
            dates: { dateformat: '%d/%m/%Y', nullstr: 'NA' },
          },
        }),
      ],
      files: {
        'data/semicolon.csv': 'id;amount\n1;5.50\n2;4.25\n',
        'data/headerless.csv': '1,x\n2,y\n3,z\n',
        'data/dates.csv': 'day,value\n31/12/2024,NA\n01/02/2025,3\n',
        'data/plain.csv': 'id;amount\n1;5.50\n',
      },
    });
    const loaded = await kit.engine.load();
    expect(loaded.sources.map((s) => [s.name, s.status, s.rows])).toEqual([
      ['dates', 'loaded', 2],
      ['headerless', 'loaded', 3],
      ['plain', 'loaded', 1],
      ['semicolon', 'loaded', 2],
    ]);
    expect(await columnTypes(kit.engine, 'semicolon')).toEqual({ id: 'BIGINT', amount: 'DECIMAL(10,2)' });
    expect(await kit.engine.query('SELECT sum(amount)::VARCHAR AS total FROM semicolon')).toEqual([{ total: '9.75' }]);
    expect(await columnTypes(kit.engine, 'headerless')).toEqual({ id: 'BIGINT', label: 'VARCHAR' });
    expect(await kit.engine.query('SELECT label FROM headerless ORDER BY id')).toEqual([{ label: 'x' }, { label: 'y' }, { label: 'z' }]);
    expect(await columnTypes(kit.engine, 'dates')).toEqual({ day: 'DATE', value: 'BIGINT' });
    expect(await kit.engine.query("SELECT strftime(day, '%Y-%m-%d') AS day, value FROM dates ORDER BY day")).toEqual([
      { day: '2024-12-31', value: null },
      { day: '2025-02-01', value: 3 },
    ]);
    // The same text without options: DuckDB sniffs the delimiter and types itself.
    expect(await columnTypes(kit.engine, 'plain')).toEqual({ id: 'BIGINT', amount: 'DOUBLE' });
  });

  it('refuses an option name that is not an identifier, for that table only', async () => {
    kit = await memoryEngine({
      plugins: [csv({ tables: { orders: { 'delim = \';\', x': 1 } } })],
      files: { 'data/orders.csv': orders, 'data/customers.csv': customers },
    });
    const loaded = await kit.engine.load();
    expect(loaded.ok).toBe(false);
    const d = expectDiagnostic(loaded, { code: 'CSV_LOAD_FAILED', severity: 'error', plugin: 'csv', file: 'data/orders.csv' });
    expect(d.message).toBe('invalid read_csv option name "delim = \';\', x"');
    expect(d.line).toBeUndefined();
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['customers', 'loaded'], ['orders', 'failed']]);
    expect(await tables(kit.engine)).toEqual(['customers']);
  });

  it('skips files whose content did not change (unchanged, with their rows), reloads a changed one, and reloads all with force', async () => {
    kit = await memoryEngine({ plugins: [csv()], files: { 'data/orders.csv': orders, 'data/customers.csv': customers } });
    expect((await kit.engine.load()).sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'loaded', 2], ['orders', 'loaded', 3]]);
    // Same bytes written again (a new modification time): still unchanged. One row more: reloaded.
    await writeFile(kit.project.path('data/customers.csv'), customers);
    await utimes(kit.project.path('data/customers.csv'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    await appendFile(kit.project.path('data/orders.csv'), '4,12,1\n');
    const second = await kit.engine.load();
    expect(second.ok).toBe(true);
    expect(second.sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'unchanged', 2], ['orders', 'loaded', 4]]);
    expect(await kit.engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 4 }]);
    const forced = await kit.engine.load({ force: true });
    expect(forced.sources.map((s) => [s.name, s.status, s.rows])).toEqual([['customers', 'loaded', 2], ['orders', 'loaded', 4]]);
  });

  it('a CSV that fails to parse keeps its previous table and names file and line', async () => {
    project = await projectDir({ 'data/orders.csv': orders });
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv()] } });
    expect((await engine.load()).ok).toBe(true);
    await engine.close();
    await project.write({ 'metrics.config.json': JSON.stringify({}), 'data/orders.csv': `${orders}4,12,notanumber\n` });
    // types are sniffed: force amount to DOUBLE so the bad row fails; options come from the config file, as users write them
    await project.write({ 'metrics.config.mjs': "import { csv } from '@duckmetrics/plugin-csv';\nexport default { plugins: [csv({ tables: { orders: { types: { amount: 'DOUBLE' } } } })] };\n" });
    engine = createEngine({ cwd: project.dir, configFile: 'metrics.config.mjs' });
    const loaded = await engine.load();
    expect(loaded.ok).toBe(false);
    expect(loaded.sources[0]).toMatchObject({ name: 'orders', status: 'failed', error: { code: 'CSV_LOAD_FAILED', file: 'data/orders.csv', line: 5, plugin: 'csv' } });
    expect(loaded.sources[0]?.error?.message).toContain('Could not convert string "notanumber" to \'DOUBLE\'');
    expect(loaded.sources[0]?.error?.hint).toContain('the previous table was kept');
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });

  it('a file that is not UTF-8 fails with the file and DuckDB’s line, and the other files load', async () => {
    kit = await memoryEngine({ plugins: [csv()], files: { 'data/orders.csv': orders } });
    // "a\ncafé\n" in Latin-1
    await writeFile(kit.project.path('data/latin1.csv'), Buffer.from([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const loaded = await kit.engine.load();
    expect(loaded.ok).toBe(false);
    const d = expectDiagnostic(loaded, { code: 'CSV_LOAD_FAILED', plugin: 'csv', file: 'data/latin1.csv', line: 2 });
    expect(d.message).toContain('CSV Error on Line: 2');
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['latin1', 'failed'], ['orders', 'loaded']]);
    expect(await tables(kit.engine)).toEqual(['orders']);
  });

  it('without a data folder: warns, loads nothing, and the load is not a failure', async () => {
    const warnings: string[] = [];
    kit = await memoryEngine({ plugins: [csv()], files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) }, logger: { warn: (m) => warnings.push(m) } });
    expect(await kit.engine.load()).toEqual({ ok: true, sources: [], errors: [] });
    expect(warnings).toEqual([`csv: no data folder at ${kit.project.path('data')}; no CSV sources loaded`]);
  });

  it('has no clean hook: clean() keeps its tables, clean({ all: true }) drops them (core), and the next load reloads them', async () => {
    expect(csv().clean).toBeUndefined();
    // A database file: loading again after a run needs it (an in-memory database cannot leave the sandbox).
    project = await projectDir({ 'data/orders.csv': orders, 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT count(*) AS n FROM orders' }) });
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv()] } });
    await engine.load();
    expect((await engine.run()).ok).toBe(true);
    expect(await engine.clean()).toMatchObject({ dropped: ['a'], errors: [] });
    expect(await tables(engine)).toEqual(['orders']);
    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'unchanged', rows: 3 }]);
    expect(await engine.clean({ all: true })).toMatchObject({ dropped: ['orders'], errors: [] });
    expect(await tables(engine)).toEqual([]);
    // The fingerprint is remembered only while the table exists: the file is read again, not reported unchanged.
    expect((await engine.load()).sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 3 }]);
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });
});

describe('the loadSources hook alone', () => {
  it('returns one load per file with its path, rows and a sha256 fingerprint', async () => {
    project = await projectDir({ 'data/orders.csv': orders });
    const ctx = await hookContext({ root: project.dir });
    try {
      const loads = await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() });
      expect(loads).toEqual([
        { name: 'orders', path: project.path('data/orders.csv'), rows: 3, fingerprint: await fileFingerprint(project.path('data/orders.csv')), durationMs: expect.any(Number) },
      ]);
      expect(loads?.[0]?.fingerprint).toMatch(/^sha256:[0-9a-f]{32}$/);
      expect(await ctx.db.all('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
      expect(ctx.messages).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('with the same fingerprint in previous, reports the file unchanged with the previous rows and does not read it', async () => {
    project = await projectDir({ 'data/orders.csv': orders, 'data/customers.csv': customers });
    const ctx = await hookContext({ root: project.dir });
    try {
      const fingerprint = await fileFingerprint(project.path('data/orders.csv'));
      const previous = new Map([
        ['orders', { fingerprint, rows: 3 }],
        ['customers', { fingerprint: 'sha256:something-else', rows: 9 }],
      ]);
      const loads = await invokeHook(csv(), 'loadSources', ctx, { previous });
      expect(loads?.map((l) => [l.name, l.unchanged ?? false, l.rows])).toEqual([['customers', false, 2], ['orders', true, 3]]);
      expect(loads?.find((l) => l.name === 'orders')).toEqual({ name: 'orders', path: project.path('data/orders.csv'), fingerprint, unchanged: true, rows: 3 });
      // Only the changed file became a table: the unchanged one was not loaded into this (empty) database.
      expect(await ctx.db.all("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).toEqual([{ t: 'customers' }]);
    } finally {
      await ctx.close();
    }
  });

  it('warns and returns nothing when the folder is missing', async () => {
    project = await projectDir({});
    const ctx = await hookContext({ root: project.dir });
    try {
      expect(await invokeHook(csv({ dir: 'nowhere' }), 'loadSources', ctx, { previous: new Map() })).toEqual([]);
      expect(ctx.messages).toEqual([{ level: 'warn', message: `csv: no data folder at ${project.path('nowhere')}; no CSV sources loaded` }]);
    } finally {
      await ctx.close();
    }
  });

  it('stops before the next file once cancelled', async () => {
    project = await projectDir({ 'data/a.csv': 'x\n1\n', 'data/b.csv': 'x\n2\n' });
    const ctx = await hookContext({ root: project.dir, signal: AbortSignal.abort() });
    try {
      expect(await invokeHook(csv(), 'loadSources', ctx, { previous: new Map() })).toEqual([]);
      expect(await ctx.db.all("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main'")).toEqual([{ n: 0 }]);
    } finally {
      await ctx.close();
    }
  });
});

describe('fileFingerprint', () => {
  it('depends on the bytes, not on the modification time', async () => {
    project = await projectDir({ 'a.csv': orders, 'b.csv': orders, 'c.csv': `${orders}4,12,1\n` });
    const a = await fileFingerprint(project.path('a.csv'));
    await utimes(project.path('b.csv'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(await fileFingerprint(project.path('b.csv'))).toBe(a);
    expect(await fileFingerprint(project.path('c.csv'))).not.toBe(a);
    expect(await readFile(project.path('a.csv'), 'utf8')).toBe(orders);
  });
});

describe('readCsvArguments', () => {
  it('renders options as named read_csv parameters with quoted values', () => {
    expect(readCsvArguments({})).toBe('');
    expect(readCsvArguments({ delim: ';', header: true, skip: 2, nullstr: "it's", names: ['a', 'b'], types: { amount: 'DOUBLE' } })).toBe(
      ", delim = ';', header = true, skip = 2, nullstr = 'it''s', names = ['a', 'b'], types = {'amount': 'DOUBLE'}",
    );
  });

  it('refuses option names that are not lower-case identifiers', () => {
    for (const name of ['Delim', 'delim)', "x'", '1st', 'a b', '']) {
      expect(() => readCsvArguments({ [name]: 1 }), name).toThrowError(`invalid read_csv option name "${name}"`);
    }
  });
});
