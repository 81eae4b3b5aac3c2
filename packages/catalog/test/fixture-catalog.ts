import type { Catalog, CatalogMetric } from '@duckmetrics/core';

/** The run that built the fixture's metrics. */
export const RUN = '5f0c2a9e-1b7d-4c3e-9a41-2d6b8e0f7c13';

/** A metric with sensible defaults; tests override what they look at. */
export function metric(name: string, overrides: Partial<CatalogMetric> = {}): CatalogMetric {
  return {
    name, file: `metrics/${name}.yaml`, description: `About ${name}.`, owner: 'analytics', schedule: '0 6 * * *',
    nextDue: '2026-01-02T06:00:00.000Z', tags: [], materialized: 'table', sql: `SELECT 1 AS x`,
    columns: [{ name: 'x', type: 'INTEGER', checks: [] }], checks: [], upstream: [], downstream: [], status: 'valid', errors: [],
    built: true, lastBuild: { rows: 1, builtAt: '2026-01-01T06:00:01.000Z', runId: RUN },
    lastRun: { runId: RUN, status: 'success', reason: null, rows: 1, durationMs: 12, finishedAt: '2026-01-01T06:00:01.000Z', error: null },
    ...overrides,
  };
}

/** Two sources and three metrics: orders, customers → revenue → top_customers; orders → order_count (failed). */
export function sampleCatalog(): Catalog {
  return {
    generatedAt: '2026-01-01T12:00:00.000Z',
    project: { root: '/home/ana/shop-metrics', database: '/home/ana/shop-metrics/metrics.duckdb', timezone: 'UTC' },
    sources: [
      { name: 'orders', file: 'data/orders.csv', rows: 2465, loadedAt: '2026-01-01T05:00:00.000Z', columns: [{ name: 'order_id', type: 'VARCHAR', checks: [] }], downstream: ['revenue', 'order_count'] },
      { name: 'customers', file: 'data/customers.csv', rows: 100, loadedAt: '2026-01-01T05:00:00.000Z', columns: [{ name: 'customer_id', type: 'VARCHAR', checks: [] }], downstream: ['revenue'] },
    ],
    metrics: [
      metric('revenue', {
        description: 'Revenue per customer.', tags: ['finance'], upstream: ['orders', 'customers'], downstream: ['top_customers'],
        sql: "SELECT customer_id, sum(amount) AS revenue -- total\nFROM orders JOIN customers USING (customer_id)\nWHERE status = 'delivered'\nGROUP BY ALL",
        columns: [{ name: 'customer_id', type: 'VARCHAR', checks: ['not_null(customer_id)'], description: 'Who.' }, { name: 'revenue', type: 'DOUBLE', checks: [] }],
      }),
      metric('top_customers', { tags: ['crm'], upstream: ['revenue'], lastRun: { runId: '9a1e7d22-0000-4000-8000-000000000002', status: 'skipped', reason: 'up to date', rows: null, durationMs: null, finishedAt: '2026-01-01T06:00:02.000Z', error: null } }),
      metric('order_count', { upstream: ['orders'], lastRun: { runId: '9a1e7d22-0000-4000-8000-000000000002', status: 'failed', reason: null, rows: null, durationMs: 40, finishedAt: '2026-01-01T06:00:03.000Z', error: 'Conversion Error: could not convert' } }),
    ],
    edges: [
      { from: 'orders', to: 'revenue' },
      { from: 'customers', to: 'revenue' },
      { from: 'revenue', to: 'top_customers' },
      { from: 'orders', to: 'order_count' },
    ],
  };
}
