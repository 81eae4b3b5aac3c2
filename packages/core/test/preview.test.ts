// plan / publish / rollback on real DuckDB files: the diff's counts, schema and sample; nothing published changes
// during a plan; publish refused when a source changed; rollback puts back the exact previous rows.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Engine, MetricPlan } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

// 10 orders; `version` changes the source's fingerprint, so a reload is a source change.
let version = 1;
const orders = definePlugin({
  name: 'orders',
  async loadSources(ctx) {
    await ctx.db.run(`CREATE OR REPLACE TABLE orders AS SELECT range AS order_id, range % 3 AS customer_id, CASE WHEN range % 2 = 0 THEN 'placed' ELSE 'shipped' END AS status, (range * ${version})::INTEGER AS amount FROM range(10)`);
    return [{ name: 'orders', rows: 10, fingerprint: `v${version}` }];
  },
});
const stg = (where: string, extra: Record<string, unknown> = {}, select = 'order_id, customer_id, status, amount'): string =>
  metricYaml({ metric_name: 'stg_orders', sql: `SELECT ${select} FROM orders WHERE ${where}`, ...extra });
const revenue = metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue FROM stg_orders GROUP BY ALL', unique_key: ['customer_id'] });
const open = async (files: Record<string, string>): Promise<Engine> => {
  project = await projectDir(files);
  engine = createEngine({ cwd: project.dir, config: { plugins: [orders], threads: 1 } });
  await engine.load();
  expect((await engine.run()).ok).toBe(true);
  return engine;
};
const byName = (metrics: MetricPlan[], name: string): MetricPlan => metrics.find((m) => m.name === name)!;
const count = async (e: Engine, table: string): Promise<number> => Number((await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('plan', () => {
  it('diffs a keyed SQL change that drops rows, counts each column, rebuilds downstream from the preview, and changes nothing published', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true', { unique_key: ['order_id'] }), 'metrics/revenue.yaml': revenue });
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id < 7', { unique_key: ['order_id'] }, "order_id, customer_id, CASE WHEN order_id = 1 THEN 'lost' ELSE status END AS status, amount") });
    const plan = await e.plan();
    expect(plan.ok).toBe(true);
    const s = byName(plan.metrics, 'stg_orders');
    expect(s).toMatchObject({ action: 'build', reason: 'changed', status: 'success', downstream: ['revenue'] });
    expect(s.diff).toMatchObject({ key: ['order_id'], rowsBefore: 10, rowsAfter: 7, added: 0, removed: 3, changed: 1, columns: { customer_id: 0, status: 1, amount: 0 }, schema: { added: [], removed: [], changed: [] } });
    expect(s.diff!.sample[0]).toEqual({ key: { order_id: 1 }, before: { order_id: 1, customer_id: 1, status: 'shipped', amount: 1 }, after: { order_id: 1, customer_id: 1, status: 'lost', amount: 1 } });
    expect(s.diff!.sample.slice(1).map((r) => [r.key, r.after])).toEqual([[{ order_id: 7 }, null], [{ order_id: 8 }, null], [{ order_id: 9 }, null]]);
    // revenue read stg_orders from the preview: customer 1 lost orders 7, customer 2 lost 8, customer 0 lost 9.
    const r = byName(plan.metrics, 'revenue');
    expect(r.diff).toMatchObject({ key: ['customer_id'], rowsBefore: 3, rowsAfter: 3, added: 0, removed: 0, changed: 3, columns: { revenue: 3 } });
    expect(plan.publishable).toEqual(['stg_orders', 'revenue']);
    expect(await count(e, 'stg_orders')).toBe(10);
    expect(await e.query('SELECT customer_id, revenue FROM revenue ORDER BY 1')).toEqual([{ customer_id: 0, revenue: 18 }, { customer_id: 1, revenue: 12 }, { customer_id: 2, revenue: 15 }]);

    expect((await e.catalog()).metrics.filter((m) => m.unpublishedPreview).map((m) => m.name)).toEqual(['stg_orders', 'revenue']);
    const published = await e.publish();
    expect((await e.catalog()).metrics.some((m) => m.unpublishedPreview)).toBe(false);
    expect(published).toMatchObject({ ok: true, refused: [], published: [{ name: 'stg_orders', rows: 7 }, { name: 'revenue', rows: 3 }] });
    expect(await count(e, 'stg_orders')).toBe(7);
    expect(await e.query('SELECT customer_id, revenue FROM revenue ORDER BY 1')).toEqual([{ customer_id: 0, revenue: 9 }, { customer_id: 1, revenue: 5 }, { customer_id: 2, revenue: 7 }]);
    // Publishing recorded the builds: a run finds everything up to date; the preview is gone.
    expect((await e.run()).metrics.map((m) => m.reason)).toEqual(['up to date', 'up to date']);
    expect(await e.query(`SELECT * FROM information_schema.tables WHERE table_schema = '_duckmetrics_preview'`)).toEqual([]);
    expect((await e.history({ limit: 5 })).map((h) => h.status)).toContain('success');
    expect((await e.publish()).refused[0]).toMatch(/no plan to publish/);
  });

  it('diffs unkeyed rows as multisets, a type change, a new column, a new metric and a view', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true'), 'metrics/counts.yaml': metricYaml({ metric_name: 'counts', materialized: 'view', sql: 'SELECT status, count(*) AS n FROM stg_orders GROUP BY ALL' }) });
    await project!.write({
      'metrics/stg_orders.yaml': stg('order_id >= 2', {}, 'order_id, customer_id, status, amount::DOUBLE AS amount, amount > 4 AS big'),
      'metrics/counts.yaml': metricYaml({ metric_name: 'counts', materialized: 'view', sql: 'SELECT status, count(*)::INTEGER AS n, sum(amount) AS total FROM stg_orders GROUP BY ALL' }),
      'metrics/fresh.yaml': metricYaml({ metric_name: 'fresh', sql: 'SELECT DISTINCT customer_id FROM orders' }),
    });
    const plan = await e.plan();
    const s = byName(plan.metrics, 'stg_orders').diff!;
    expect(s).toMatchObject({ key: null, rowsBefore: 10, rowsAfter: 8, added: 0, removed: 2, changed: null, columns: {} });
    expect(s.schema).toEqual({ added: [{ name: 'big', type: 'BOOLEAN' }], removed: [], changed: [{ name: 'amount', before: 'INTEGER', after: 'DOUBLE' }] });
    expect(s.sample.map((r) => [r.key, r.after, r.before?.order_id]).sort()).toEqual([[null, null, 0], [null, null, 1]]);
    const v = byName(plan.metrics, 'counts');
    expect(v).toMatchObject({ materialized: 'view', status: 'success' });
    expect(v.diff).toMatchObject({ rowsBefore: null, rowsAfter: null, added: null, removed: null, schema: { added: [{ name: 'total' }], changed: [{ name: 'n', before: 'BIGINT', after: 'INTEGER' }] } });
    expect(byName(plan.metrics, 'fresh')).toMatchObject({ reason: 'new', diff: { rowsBefore: null, rowsAfter: 3, added: 3, removed: 0 } });
    expect(await count(e, 'counts')).toBe(2);
    expect(await e.query(`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'fresh' AND table_schema = 'main'`)).toEqual([{ n: 0 }]);
  });

  it('blocks publishing a metric whose audit or unit test failed in the preview, and its downstream', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true'), 'metrics/revenue.yaml': revenue });
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id < 7', { columns: [{ name: 'amount', checks: [{ accepted_range: { min: 3 } }] }] }) });
    const plan = await e.plan();
    expect(plan.ok).toBe(false);
    expect(byName(plan.metrics, 'stg_orders')).toMatchObject({ action: 'build', status: 'failed', errors: [{ code: 'CHECK_FAILED' }], diff: { removed: 3 } });
    expect(byName(plan.metrics, 'revenue')).toMatchObject({ action: 'skip', reason: 'upstream failed: stg_orders' });
    expect(plan.publishable).toEqual([]);
    const published = await e.publish();
    expect(published).toMatchObject({ ok: false, published: [], blocked: [{ name: 'stg_orders', reason: 'preview failed: check failed' }] });
    expect(await count(e, 'stg_orders')).toBe(10);
  });

  it('blocks publishing a metric whose unit test fails in the preview', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true') });
    await project!.write({ 'metrics/stg_orders.yaml': `${stg('amount > 100')}tests:\n  - name: keeps big orders\n    given:\n      orders:\n        - { order_id: 1, customer_id: 1, status: placed, amount: 50 }\n    expect:\n      rows:\n        - { order_id: 1, customer_id: 1, status: placed, amount: 50 }\n` });
    const plan = await e.plan();
    expect(byName(plan.metrics, 'stg_orders')).toMatchObject({ action: 'build', status: 'failed', errors: [{ code: 'UNIT_TEST_FAILED' }] });
    expect(byName(plan.metrics, 'stg_orders').diff).toBeUndefined();
    expect(await e.publish()).toMatchObject({ ok: false, blocked: [{ name: 'stg_orders', reason: 'preview failed: unit test failed' }] });
    expect(await count(e, 'stg_orders')).toBe(10);
  });

  it('refuses to publish after a source changed, or a metric file changed, since the plan', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true'), 'metrics/revenue.yaml': revenue });
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id < 5') });
    expect((await e.plan()).ok).toBe(true);
    version = 2;
    await e.load();
    const refused = await e.publish();
    expect(refused.ok).toBe(false);
    expect(refused.refused).toContain('source orders changed since the plan; run duckmetrics plan again');
    expect(await count(e, 'stg_orders')).toBe(10);
    expect((await e.plan()).ok).toBe(true);
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id < 4') });
    expect((await e.publish()).refused).toEqual(['metric file metrics/stg_orders.yaml changed since the plan; run duckmetrics plan again']);
    version = 1;
  });
});

describe('rollback', () => {
  it('puts back the exact rows published before, after a run and after a publish', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true') });
    const before = await e.query('SELECT * FROM stg_orders ORDER BY order_id');
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id % 2 = 0') });
    expect((await e.run()).ok).toBe(true);
    expect(await count(e, 'stg_orders')).toBe(5);
    expect(await e.rollback('stg_orders')).toMatchObject({ ok: true, rows: 10, replacedRows: 5 });
    expect(await e.query('SELECT * FROM stg_orders ORDER BY order_id')).toEqual(before);
    // The restored state is the old build's: a run rebuilds from the file, which still says otherwise.
    expect((await e.run()).metrics[0]).toMatchObject({ status: 'success', rows: 5 });
    expect(await e.rollback('stg_orders')).toMatchObject({ ok: true, rows: 10 });
    await project!.write({ 'metrics/stg_orders.yaml': stg('order_id > 6') });
    expect((await e.plan()).ok).toBe(true);
    expect((await e.publish()).ok).toBe(true);
    expect(await count(e, 'stg_orders')).toBe(3);
    await e.rollback('stg_orders');
    expect(await e.query('SELECT * FROM stg_orders ORDER BY order_id')).toEqual(before);
    await e.clean();
    expect(await e.query(`SELECT * FROM information_schema.schemata WHERE schema_name IN ('_duckmetrics_preview', '_duckmetrics_previous')`)).toEqual([]);
  });

  it('refuses metric SQL that reads the preview or the previous versions', async () => {
    const e = await open({ 'metrics/stg_orders.yaml': stg('true') });
    await project!.write({ 'metrics/sneaky.yaml': metricYaml({ metric_name: 'sneaky', sql: 'SELECT * FROM _duckmetrics_previous.stg_orders' }) });
    const validation = await e.validate();
    expect(validation.ok).toBe(false);
    expect(JSON.stringify(validation)).toMatch(/the schema _duckmetrics_previous is duckmetrics' own/);
  });

  it('keeps nothing when keepPreviousVersions is off', async () => {
    project = await projectDir({ 'metrics/stg_orders.yaml': stg('true') });
    engine = createEngine({ cwd: project.dir, config: { plugins: [orders], threads: 1, keepPreviousVersions: false } });
    await engine.load();
    await engine.run();
    await project.write({ 'metrics/stg_orders.yaml': stg('order_id < 2') });
    await engine.run();
    expect(await engine.rollback('stg_orders')).toMatchObject({ ok: false, error: expect.stringMatching(/no previous version/) });
  });
});
