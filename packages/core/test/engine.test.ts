import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Engine, HookContext, Metric } from '@duckmetrics/core';
import { diagnosticsOf, metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const orders = 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n';
let project: TempProject | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = undefined;
  project = undefined;
});

async function setup(files: Record<string, string>): Promise<Engine> {
  project = await projectDir({ 'data/orders.csv': orders, ...files });
  engine = createEngine({ cwd: project.dir });
  const loaded = await engine.load();
  expect(loaded.ok).toBe(true);
  return engine;
}

describe('engine with the default plugins on a real DuckDB file', () => {
  it('loads CSVs, validates and builds one table per metric', async () => {
    const e = await setup({
      'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue\nFROM orders\nGROUP BY customer_id' }),
      'metrics/finance/count.yml': metricYaml({ metric_name: 'order_count', sql: 'SELECT count(*) AS n FROM orders' }),
    });
    const result = await e.run();
    expect(result.ok).toBe(true);
    expect(result.metrics.map((m) => [m.name, m.status, m.rows])).toEqual([
      ['order_count', 'success', 1],
      ['revenue', 'success', 2],
    ]);
    expect(await e.query('SELECT customer_id, revenue FROM revenue ORDER BY customer_id')).toEqual([
      { customer_id: 10, revenue: 10 },
      { customer_id: 11, revenue: 7 },
    ]);
  });

  it('maps a malformed SQL error onto the YAML line and column', async () => {
    const e = await setup({
      'metrics/bad.yaml': metricYaml({ metric_name: 'bad', sql: 'SELECT customer_id,\n       amout\nFROM orders' }),
    });
    const result = await e.validate();
    expect(result.ok).toBe(false);
    const [error] = diagnosticsOf(result);
    // metricYaml writes 4 fields, then `sql: |` on line 5: SQL line 2 is file line 7, indented by 2.
    expect(error).toMatchObject({ code: 'SQL_BINDER', file: 'metrics/bad.yaml', line: 7, column: 10, plugin: 'validate-sql' });
    expect(error?.message).toContain('amout');
    expect(error?.frame).toContain('> 7 |');
  });

  it('rejects SQL that is not one SELECT', async () => {
    const e = await setup({
      'metrics/drop.yaml': metricYaml({ metric_name: 'dropper', sql: 'DROP TABLE orders' }),
      'metrics/two.yaml': metricYaml({ metric_name: 'two', sql: 'SELECT 1; DROP TABLE orders' }),
      'metrics/syntax.yaml': metricYaml({ metric_name: 'syntax', sql: 'SELECT *\nFORM orders' }),
    });
    const result = await e.run();
    const byName = Object.fromEntries(result.metrics.map((m) => [m.name, m.errors[0]]));
    expect(byName.dropper).toMatchObject({ code: 'SQL_NOT_SELECT', line: 6 });
    expect(byName.two).toMatchObject({ code: 'SQL_MULTIPLE_STATEMENTS' });
    expect(byName.syntax).toMatchObject({ code: 'SQL_PARSER', line: 7 });
    expect(await e.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });

  it('keeps going when one metric fails, and keeps its previous table', async () => {
    const e = await setup({
      'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }),
      'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'SELECT amount FROM orders' }),
    });
    expect((await e.run()).ok).toBe(true);
    // Valid to EXPLAIN, fails while running: the old table of `b` must survive.
    await project!.write({ 'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: "SELECT CAST('x' || amount AS INTEGER) AS amount FROM orders" }) });
    const result = await e.run();
    expect(result.ok).toBe(false);
    expect(result.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([
      ['a', 'skipped', 'up to date'],
      ['b', 'failed', 'build failed'],
    ]);
    expect(result.metrics[1]?.error).toMatchObject({ code: 'SQL_CONVERSION', file: 'metrics/b.yaml' });
    expect(await e.query('SELECT count(*) AS n FROM b')).toEqual([{ n: 3 }]);
  });

  it('refuses a metric named like a source table, and duplicate names', async () => {
    const e = await setup({
      'metrics/orders.yaml': metricYaml({ metric_name: 'Orders', sql: 'SELECT 1 AS x' }),
      'metrics/x1.yaml': metricYaml({ metric_name: 'Revenue', sql: 'SELECT 1 AS x' }),
      'metrics/x2.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT 2 AS x' }),
    });
    const result = await e.run();
    const codes = result.metrics.map((m) => [m.file, m.errors.map((d) => d.code)]);
    expect(codes).toEqual([
      ['metrics/orders.yaml', ['METRIC_SHADOWS_SOURCE']],
      ['metrics/x1.yaml', ['METRIC_DUPLICATE']],
      ['metrics/x2.yaml', ['METRIC_DUPLICATE']],
    ]);
    expect(await e.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 3 }]);
  });

  it('clean drops metric tables and keeps sources; clean all drops sources', async () => {
    const e = await setup({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT * FROM orders' }) });
    await e.run();
    const cleaned = await e.clean();
    expect(cleaned.dropped).toEqual(['a']);
    const tables = async (): Promise<string[]> =>
      (await e.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).map((r) => r.t);
    expect(await tables()).toEqual(['orders']);
    await e.run();
    expect((await e.clean({ all: true })).dropped.sort()).toEqual(['a', 'orders']);
    expect(await tables()).toEqual([]);
  });
});

describe('plugins', () => {
  it('calls hooks in order with the documented context', async () => {
    project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 42 AS answer' }) });
    const calls: string[] = [];
    const seen: HookContext[] = [];
    const recorder = (name: string) =>
      definePlugin({
        name,
        loadSources(ctx) {
          calls.push(`${name}.loadSources`);
          seen.push(ctx);
          return [];
        },
        validate(metric: Metric) {
          calls.push(`${name}.validate:${metric.name}`);
          return [];
        },
        materialize() {
          calls.push(`${name}.materialize`);
          return undefined;
        },
        clean() {
          calls.push(`${name}.clean`);
        },
      });
    const late = { ...recorder('late'), validate: { order: 'post' as const, handler: () => void calls.push('late.validate(post)') } };
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:', plugins: [late, recorder('first'), recorder('second')] } });
    await engine.load();
    await engine.run();
    expect(await seen[0]!.db.all('SELECT answer FROM a')).toEqual([{ answer: 42 }]);
    await engine.clean();
    expect(calls).toEqual([
      'late.loadSources', 'first.loadSources', 'second.loadSources',
      'first.validate:a', 'second.validate:a', 'late.validate(post)',
      'late.materialize', 'first.materialize', 'second.materialize',
      'second.clean', 'first.clean', 'late.clean',
    ]);
    const ctx = seen[0]!;
    expect(Object.keys(ctx).sort()).toEqual(['config', 'db', 'emit', 'logger', 'signal']);
    expect(ctx.config.database).toBe(':memory:');
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
  });

  it('attributes a throwing hook to its plugin and keeps going', async () => {
    project = await projectDir({
      'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }),
      'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'SELECT 2 AS x' }),
    });
    const flaky = definePlugin({
      name: 'flaky',
      loadSources: () => Promise.reject(new Error('no network')),
      validate: (m) => {
        if (m.name === 'a') throw new Error('validator crashed');
        return [];
      },
      materialize: (m) => {
        if (m.name === 'b') throw new TypeError('cannot build');
        return undefined;
      },
    });
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:', plugins: [flaky] } });
    const loaded = await engine.load();
    expect(loaded.errors[0]).toMatchObject({ code: 'PLUGIN_ERROR', plugin: 'flaky', hook: 'loadSources' });
    const run = await engine.run();
    expect(run.metrics.map((m) => [m.name, m.status, m.errors[0]?.code, m.errors[0]?.plugin, m.errors[0]?.hook])).toEqual([
      ['a', 'failed', 'PLUGIN_ERROR', 'flaky', 'validate'],
      ['b', 'failed', 'PLUGIN_ERROR', 'flaky', 'materialize'],
    ]);
  });

  it('emits events with metric names', async () => {
    project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
    engine = createEngine({ cwd: project.dir, config: { database: ':memory:', plugins: [] } });
    const events: string[] = [];
    for (const name of ['validate:start', 'validate:end', 'run:start', 'metric:start', 'metric:end', 'run:end'] as const) {
      engine.on(name, (payload) => events.push(`${name}${payload && typeof payload === 'object' && 'name' in payload ? `:${String(payload.name)}` : ''}`));
    }
    await engine.run();
    expect(events).toEqual(['validate:start', 'validate:end', 'run:start', 'metric:start:a', 'metric:end:a', 'run:end']);
  });
});
