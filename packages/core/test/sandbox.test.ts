import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin, duckdbErrorCode, quoteLiteral } from '@duckmetrics/core';
import type { Engine, MetricRunResult, UserConfig } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const orders = 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n';
/** The orders source without a source plugin package: these tests need a table, not CSV loading. */
const ordersSource = definePlugin({
  name: 'orders-source',
  async loadSources(ctx) {
    await ctx.db.run('CREATE OR REPLACE TABLE orders AS SELECT * FROM (VALUES (1, 10, 5.5), (2, 10, 4.5), (3, 11, 7.0)) AS t(order_id, customer_id, amount)');
    return [{ name: 'orders', rows: 3 }];
  },
});
let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = undefined;
  project = undefined;
});

/** Single SELECTs that try to leave the database: each must fail with SANDBOX (the project path is filled in). */
const ESCAPES: Record<string, (dir: string) => string> = {
  read_csv_passwd: () => "SELECT * FROM read_csv('/etc/passwd')",
  read_text: () => "SELECT content FROM read_text('/etc/hostname')",
  read_blob: () => "SELECT content FROM read_blob('/etc/hostname')",
  glob: () => "SELECT file FROM glob('/etc/*')",
  read_json_http: () => "SELECT * FROM read_json('https://example.com/x.json')",
  read_parquet_s3: () => "SELECT * FROM read_parquet('s3://bucket/x.parquet')",
  parquet_metadata: () => "SELECT * FROM parquet_metadata('/etc/passwd')",
  // Even the project's own data folder: metric SQL reads sources by table name, not files.
  read_csv_data_dir: (dir) => `SELECT * FROM read_csv(${quoteLiteral(`${dir}/data/orders.csv`)})`,
  // Inside a CTE and a subquery, as a writer might hide it.
  hidden_in_cte: () => "WITH x AS (SELECT * FROM orders WHERE order_id IN (SELECT 1 FROM read_text('/etc/hostname'))) SELECT * FROM x",
};

async function escapeProject(config: UserConfig = {}): Promise<Engine> {
  project = await projectDir({ 'data/orders.csv': orders, 'metrics/good.yaml': metricYaml({ metric_name: 'good', sql: 'SELECT count(*) AS n FROM orders' }) });
  const files: Record<string, string> = {};
  for (const [name, sql] of Object.entries(ESCAPES)) files[`metrics/${name}.yaml`] = metricYaml({ metric_name: name, sql: sql(project.dir) });
  await project.write(files);
  engine = createEngine({ cwd: project.dir, config });
  expect((await engine.load()).ok).toBe(true);
  return engine;
}

function byName<T extends { name: string | null }>(results: T[]): Record<string, T> {
  return Object.fromEntries(results.map((r) => [r.name ?? '', r]));
}

describe('the sandbox (default): metric SQL cannot reach files or the network', () => {
  it("validate stops every escape with SANDBOX at the function's line and column, from DuckDB's parse, before anything binds", async () => {
    const e = await escapeProject();
    const result = byName((await e.validate()).metrics);
    for (const [name, sql] of Object.entries(ESCAPES)) {
      const fn = /(read_\w+|glob|parquet_metadata)\(/.exec(sql(project!.dir))!;
      expect(result[name]?.errors, name).toHaveLength(1);
      expect(result[name]?.errors[0], name).toMatchObject({ code: 'SANDBOX', file: `metrics/${name}.yaml`, line: 6, column: 3 + fn.index });
      expect(result[name]?.errors[0]?.plugin, name).toBeUndefined();
      expect(result[name]?.errors[0]?.message, name).toContain(`${fn[1]}()`);
      expect(result[name]?.errors[0]?.hint, name).toContain('docs/security.md');
    }
    expect(result.good?.status).toBe('valid');
  });

  it('run refuses every escape as invalid too, with or without a validator: the allow-list is core, not EXPLAIN', async () => {
    for (const plugins of [undefined, [ordersSource]]) {
      const e = await escapeProject(plugins ? { plugins, threads: 2 } : {});
      const result = byName((await e.run()).metrics);
      for (const name of Object.keys(ESCAPES)) {
        const r: MetricRunResult | undefined = result[name];
        expect(r?.status, name).toBe('failed');
        expect(r?.reason, name).toBe('invalid');
        expect(r?.error, name).toMatchObject({ code: 'SANDBOX', file: `metrics/${name}.yaml` });
      }
      expect(result.good).toMatchObject({ status: 'success', rows: 1 });
      await engine!.close();
      await project!.cleanup();
    }
    engine = undefined;
    project = undefined;
  });

  it('core refuses statements that are not one SELECT before DuckDB sees them, even without validate-sql', async () => {
    project = await projectDir({});
    const statements: Record<string, string> = {
      copy_to: `COPY orders TO ${quoteLiteral(project.path('stolen.csv'))}`,
      attach: `ATTACH ${quoteLiteral(project.path('other.duckdb'))} AS other`,
      install: 'INSTALL httpfs',
      load: 'LOAD httpfs',
      set: 'SET enable_external_access = true',
      two: 'SELECT 1 AS x; DROP TABLE orders',
    };
    const files: Record<string, string> = {};
    for (const [name, sql] of Object.entries(statements)) files[`metrics/${name}.yaml`] = metricYaml({ metric_name: name, sql });
    await project.write(files);
    engine = createEngine({ cwd: project.dir, config: { plugins: [ordersSource] } });
    await engine.load();
    const result = byName((await engine.run()).metrics);
    for (const name of Object.keys(statements)) {
      expect(result[name]?.error?.code, name).toBe(name === 'two' ? 'SQL_MULTIPLE_STATEMENTS' : 'SQL_NOT_SELECT');
    }
    expect(existsSync(project.path('stolen.csv'))).toBe(false);
    expect(existsSync(project.path('other.duckdb'))).toBe(false);
    expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });

  it('holds at the database level: a plugin that runs statements on ctx.db after the lockdown is stopped, and cannot lift it', async () => {
    project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
    const attempts: Record<string, string> = {
      copy_to: `COPY orders TO ${quoteLiteral(project.path('stolen.csv'))}`,
      attach: `ATTACH ${quoteLiteral(project.path('other.duckdb'))} AS other`,
      install: 'INSTALL httpfs',
      load: 'LOAD httpfs',
      enable_access: 'SET enable_external_access = true',
      unlock: 'SET lock_configuration = false',
      reset_unlock: 'RESET lock_configuration',
      allow_dirs: `SET allowed_directories = [${quoteLiteral(project.dir)}]`,
      read_after: "SELECT * FROM read_csv('/etc/passwd')",
    };
    const outcome: Record<string, string> = {};
    // A clean hook runs outside any transaction, so each attempt fails on its own.
    const naive = definePlugin({
      name: 'naive',
      async clean(ctx) {
        for (const [name, sql] of Object.entries(attempts)) {
          try {
            await ctx.db.run(sql);
            outcome[name] = 'ran';
          } catch (error) {
            outcome[name] = duckdbErrorCode((error as Error).message);
          }
        }
      },
    });
    engine = createEngine({ cwd: project.dir, config: { plugins: [ordersSource, naive] } });
    await engine.load();
    await engine.validate();
    await engine.clean();
    expect(outcome).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, 'SANDBOX'])));
    expect(existsSync(project.path('stolen.csv'))).toBe(false);
    expect(existsSync(project.path('other.duckdb'))).toBe(false);
  });

  it('metric SQL cannot read the settings; the instance is locked all the same (engine.query, trusted, shows it)', async () => {
    project = await projectDir({
      'metrics/settings.yaml': metricYaml({ metric_name: 'settings', sql: "SELECT current_setting('enable_external_access') AS external" }),
      'metrics/ok.yaml': metricYaml({ metric_name: 'ok', sql: 'SELECT 1 AS x' }),
    });
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:' } });
    const result = byName((await engine.run()).metrics);
    expect(result.settings).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'SANDBOX', line: 6, column: 10 } });
    expect(result.ok).toMatchObject({ status: 'success' });
    expect(await engine.query("SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked")).toEqual([{ external: false, locked: true }]);
  });

  it('load() after validate/run reopens the database file, loads, and the next run is sandboxed again', async () => {
    project = await projectDir({
      'data/orders.csv': orders,
      'metrics/n.yaml': metricYaml({ metric_name: 'n', sql: 'SELECT count(*) AS n FROM orders' }),
      'metrics/escape.yaml': metricYaml({ metric_name: 'escape', sql: "SELECT * FROM read_text('/etc/hostname')" }),
    });
    engine = createEngine({ cwd: project.dir });
    await engine.load();
    expect(byName((await engine.run()).metrics).escape?.error?.code).toBe('SANDBOX');
    await appendFile(project.path('data/orders.csv'), '4,12,1\n');
    const loaded = await engine.load();
    expect(loaded.sources).toMatchObject([{ name: 'orders', status: 'loaded', rows: 4 }]);
    const second = byName((await engine.run()).metrics);
    expect(second.n).toMatchObject({ status: 'success' });
    expect(second.escape?.error?.code).toBe('SANDBOX');
    expect(await engine.query('SELECT n FROM n')).toEqual([{ n: 4 }]);
  });

  it('an in-memory database cannot be reopened: load() after validate() says so; load() first is fine', async () => {
    project = await projectDir({ 'data/orders.csv': orders, 'metrics/n.yaml': metricYaml({ metric_name: 'n', sql: 'SELECT count(*) AS n FROM orders' }) });
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:' } });
    expect((await engine.load()).ok).toBe(true);
    expect((await engine.run()).ok).toBe(true);
    await expect(engine.load()).rejects.toMatchObject({ code: 'SANDBOX', hint: expect.stringContaining('sandbox: false') });
    expect(await engine.query('SELECT n FROM n')).toEqual([{ n: 3 }]);
  });
});

describe('sandbox: false', () => {
  it('lets metric SQL read files again, in validate and run', async () => {
    project = await projectDir({ 'data/orders.csv': orders });
    await project.write({ 'metrics/direct.yaml': metricYaml({ metric_name: 'direct', sql: `SELECT count(*) AS n FROM read_csv(${quoteLiteral(project.path('data', 'orders.csv'))})` }) });
    engine = createEngine({ cwd: project.dir, config: { sandbox: false, database: ':memory:' } });
    expect((await engine.validate()).ok).toBe(true);
    expect((await engine.run()).metrics).toMatchObject([{ name: 'direct', status: 'success', rows: 1 }]);
    expect(await engine.query('SELECT n FROM direct')).toEqual([{ n: 3 }]);
    expect((await engine.load()).ok).toBe(true);
  });

  it('is checked as a boolean in the config', async () => {
    project = await projectDir({ 'metrics.config.json': JSON.stringify({ sandbox: 'no' }) });
    engine = createEngine({ cwd: project.dir });
    await expect(engine.config()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('sandbox must be true or false') });
  });
});
