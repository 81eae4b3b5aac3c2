import { appendFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Engine, RunResult } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

// Six metrics on three levels; file names sort opposite to the dependency order.
const files: Record<string, string> = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'data/customers.csv': 'customer_id,state\n10,SP\n11,RJ\n',
  'metrics/a_top_customers.yaml': metricYaml({ metric_name: 'top_customers', tags: ['crm'], sql: 'SELECT * FROM customer_ltv ORDER BY ltv DESC LIMIT 1' }),
  'metrics/b_customer_ltv.yaml': metricYaml({ metric_name: 'customer_ltv', tags: ['finance'], sql: 'SELECT customer_id, sum(amount) AS ltv FROM stg_orders GROUP BY ALL' }),
  'metrics/c_order_count.yaml': metricYaml({ metric_name: 'order_count', tags: ['finance'], sql: 'SELECT count(*) AS n FROM stg_orders' }),
  'metrics/staging/d_stg_orders.yaml': metricYaml({ metric_name: 'stg_orders', sql: 'WITH o AS (SELECT * FROM orders)\nSELECT order_id, customer_id, amount FROM o' }),
  'metrics/staging/e_stg_customers.yaml': metricYaml({ metric_name: 'stg_customers', sql: 'SELECT customer_id, state FROM customers' }),
  'metrics/f_customer_orders.yaml': metricYaml({ metric_name: 'customer_orders', tags: ['crm'], sql: 'SELECT c.state, count(*) AS n\nFROM stg_customers c JOIN stg_orders o USING (customer_id)\nGROUP BY ALL' }),
};

let project: TempProject;
let engine: Engine;
beforeEach(async () => {
  project = await projectDir(files);
  engine = createEngine({ cwd: project.dir });
  expect((await engine.load()).ok).toBe(true);
});
afterEach(async () => {
  await engine.close();
  await project.cleanup();
});

const built = (r: RunResult): string[] => r.metrics.filter((m) => m.status === 'success').map((m) => m.name!).sort();
const statusOf = (r: RunResult): Record<string, string> => Object.fromEntries(r.metrics.map((m) => [m.name, `${m.status}${m.reason ? `: ${m.reason}` : ''}`]));

describe('dependency graph', () => {
  it('validates on a database with only sources, before anything is built', async () => {
    const result = await engine.validate();
    expect(result.metrics.filter((m) => m.status !== 'valid')).toEqual([]);
    expect(result.metrics).toHaveLength(6);
  });

  it('builds in dependency order whatever the file names', async () => {
    const result = await engine.run();
    const order = result.metrics.map((m) => m.name);
    const before = (a: string, b: string): boolean => order.indexOf(a) < order.indexOf(b);
    expect(before('stg_orders', 'customer_ltv')).toBe(true);
    expect(before('customer_ltv', 'top_customers')).toBe(true);
    expect(before('stg_orders', 'order_count')).toBe(true);
    expect(before('stg_customers', 'customer_orders')).toBe(true);
    expect(before('stg_orders', 'customer_orders')).toBe(true);
    expect(built(result)).toHaveLength(6);
    expect(await engine.query('SELECT * FROM top_customers')).toEqual([{ customer_id: 10, ltv: 10 }]);
  });

  it('skips unchanged metrics, and rebuilds exactly what an edit or a new CSV row affects', async () => {
    await engine.run();
    const second = await engine.run();
    expect(built(second)).toEqual([]);
    expect(second.metrics.every((m) => m.reason === 'up to date')).toBe(true);

    // White space and comments do not change the definition.
    await project.write({ 'metrics/staging/e_stg_customers.yaml': metricYaml({ metric_name: 'stg_customers', sql: '-- customers\nSELECT customer_id,   state\nFROM customers' }) });
    expect(built(await engine.run())).toEqual([]);

    await project.write({ 'metrics/staging/e_stg_customers.yaml': metricYaml({ metric_name: 'stg_customers', sql: "SELECT customer_id, lower(state) AS state FROM customers" }) });
    expect(built(await engine.run())).toEqual(['customer_orders', 'stg_customers']);

    // Re-running setup on unchanged files invalidates nothing.
    const reload = await engine.load();
    expect(reload.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    expect(built(await engine.run())).toEqual([]);

    await appendFile(project.path('data/orders.csv'), '4,11,1\n');
    const loaded = await engine.load();
    expect(loaded.sources.map((s) => [s.name, s.status])).toEqual([['customers', 'unchanged'], ['orders', 'loaded']]);
    expect(built(await engine.run())).toEqual(['customer_ltv', 'customer_orders', 'order_count', 'stg_orders', 'top_customers']);
  });

  it('rebuilds everything selected with fullRefresh', async () => {
    await engine.run();
    expect(built(await engine.run({ fullRefresh: true }))).toHaveLength(6);
    const one = await engine.run({ fullRefresh: true, select: ['customer_ltv'] });
    expect(built(one)).toEqual(['customer_ltv']);
    expect(statusOf(one).top_customers).toBe('skipped: not selected');
  });

  it('selects by name, upstream, downstream, tag, path, with exclude and intersection', async () => {
    const selected = async (select: string[], exclude: string[] = []): Promise<string[]> =>
      built(await engine.run({ select, exclude, fullRefresh: true }));
    await engine.run();
    expect(await selected(['customer_ltv'])).toEqual(['customer_ltv']);
    expect(await selected(['+top_customers'])).toEqual(['customer_ltv', 'stg_orders', 'top_customers']);
    expect(await selected(['stg_orders+'])).toEqual(['customer_ltv', 'customer_orders', 'order_count', 'stg_orders', 'top_customers']);
    expect(await selected(['tag:crm'])).toEqual(['customer_orders', 'top_customers']);
    expect(await selected(['path:metrics/staging'])).toEqual(['stg_customers', 'stg_orders']);
    expect(await selected(['path:metrics/[bf]_*.yaml'])).toEqual(['customer_ltv', 'customer_orders']);
    expect(await selected(['tag:finance order_count'])).toEqual(['customer_ltv', 'order_count']);
    expect(await selected(['stg_orders+'], ['tag:crm'])).toEqual(['customer_ltv', 'order_count', 'stg_orders']);
    expect(await selected(['stg_orders+,tag:crm'])).toEqual(['customer_orders', 'top_customers']);
    await expect(engine.run({ select: ['no_such_metric'] })).rejects.toMatchObject({ code: 'USAGE' });
    const validate = await engine.validate({ select: ['tag:crm'] });
    expect(validate.metrics.map((m) => m.name).sort()).toEqual(['customer_orders', 'top_customers']);
  });

  it('skips metrics downstream of a failed build, and keeps their tables', async () => {
    await engine.run();
    await project.write({ 'metrics/staging/d_stg_orders.yaml': metricYaml({ metric_name: 'stg_orders', sql: "SELECT order_id, customer_id, CAST('x' || amount AS DOUBLE) AS amount FROM orders" }) });
    const result = await engine.run();
    expect(statusOf(result)).toMatchObject({
      stg_orders: 'failed: build failed',
      customer_ltv: 'skipped: upstream failed: stg_orders',
      top_customers: 'skipped: upstream failed: stg_orders',
      order_count: 'skipped: upstream failed: stg_orders',
      customer_orders: 'skipped: upstream failed: stg_orders',
      stg_customers: 'skipped: up to date',
    });
    expect(await engine.query('SELECT count(*) AS n FROM stg_orders')).toEqual([{ n: 3 }]);
  });

  it('skips metrics downstream of an invalid one', async () => {
    await project.write({ 'metrics/staging/d_stg_orders.yaml': metricYaml({ metric_name: 'stg_orders', sql: 'SELECT order_id, nope FROM orders' }) });
    const result = await engine.run();
    expect(statusOf(result)).toMatchObject({
      stg_orders: 'failed: invalid',
      customer_ltv: 'skipped: upstream failed: stg_orders',
      top_customers: 'skipped: upstream failed: stg_orders',
      stg_customers: 'success',
    });
    const validation = await engine.validate();
    expect(validation.metrics.find((m) => m.name === 'customer_ltv')?.errors[0]).toMatchObject({ code: 'UPSTREAM_INVALID' });
  });

  it('reports a cycle with its path on every metric of it, and keeps the rest valid', async () => {
    await project.write({
      'metrics/x.yaml': metricYaml({ metric_name: 'cyc_a', sql: 'SELECT * FROM cyc_b' }),
      'metrics/y.yaml': metricYaml({ metric_name: 'cyc_b', sql: 'SELECT * FROM cyc_a' }),
    });
    const result = await engine.validate();
    const a = result.metrics.find((m) => m.name === 'cyc_a')!;
    const b = result.metrics.find((m) => m.name === 'cyc_b')!;
    expect(a.errors[0]).toMatchObject({ code: 'METRIC_CYCLE', file: 'metrics/x.yaml' });
    expect(a.errors[0]?.message).toContain('cyc_a → cyc_b → cyc_a');
    expect(b.errors[0]?.message).toContain('cyc_b → cyc_a → cyc_b');
    expect(result.metrics.filter((m) => m.status === 'valid')).toHaveLength(6);
  });

  it('names an unknown table with a did-you-mean from sources and metrics, at its position', async () => {
    await project.write({ 'metrics/z.yaml': metricYaml({ metric_name: 'z', sql: 'SELECT *\nFROM customer_lvt' }) });
    const z = (await engine.validate()).metrics.find((m) => m.name === 'z')!;
    expect(z.errors).toHaveLength(1);
    expect(z.errors[0]).toMatchObject({ code: 'TABLE_UNKNOWN', line: 7, column: 8 });
    expect(z.errors[0]?.message).toContain('did you mean "customer_ltv"');
  });

  it('run({ due }) builds exactly the metrics whose schedule came due, even when up to date', async () => {
    await project.write({ 'metrics/staging/e_stg_customers.yaml': metricYaml({ metric_name: 'stg_customers', schedule: '0 * * * *', sql: 'SELECT customer_id, state FROM customers' }) });
    const first = await engine.run({ due: true, now: new Date('2026-01-01T07:00:00Z') });
    expect(built(first)).toHaveLength(6); // never built: all due
    const hourLater = await engine.run({ due: true, now: new Date('2026-01-01T08:00:00Z') });
    expect(built(hourLater)).toEqual(['stg_customers']);
    expect(statusOf(hourLater).customer_orders).toBe('skipped: not due (next 2026-01-02T06:00:00.000Z)');
    const nextDay = await engine.run({ due: true, now: new Date('2026-01-02T06:00:00Z') });
    expect(built(nextDay)).toHaveLength(6);
  });

  it('records every run in the history', async () => {
    await engine.run();
    await engine.run();
    const runs = await engine.history();
    expect(runs.map((r) => [r.status, r.built, r.skipped])).toEqual([
      ['success', 0, 6],
      ['success', 6, 0],
    ]);
    const ltv = await engine.history({ name: 'CUSTOMER_LTV' });
    expect(ltv.map((r) => [r.status, r.reason ?? null])).toEqual([
      ['skipped', 'up to date'],
      ['success', null],
    ]);
    const [row] = await engine.query<{ n: number }>("SELECT count(*) AS n FROM _duckmetrics.metric_runs WHERE input_hash IS NOT NULL");
    expect(row?.n).toBe(12);
  });
});
