// A large, deterministic catalog for scale tests: `generatedCatalog(200)` is a project with 200 metrics over a
// dozen sources, shaped like a real one (staging metrics on sources, marts on staging, a few long chains).
import type { Catalog, CatalogMetric, CatalogSource } from '@duckmetrics/core';
import { metric } from './fixture-catalog.ts';

const DOMAINS = ['orders', 'customers', 'payments', 'products', 'shipments', 'sessions', 'refunds', 'stores', 'campaigns', 'invoices', 'suppliers', 'tickets'];
const MEASURES = ['daily', 'weekly', 'monthly', 'by_state', 'by_channel', 'cohort', 'rolling_30d', 'top', 'funnel', 'share', 'growth', 'forecast'];

/** A small seeded PRNG (mulberry32): the same seed gives the same catalog. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` metrics over `DOMAINS.length` sources. Each metric reads one to three tables made before it (a source or
 * a metric of the same domain, sometimes another domain's), so the graph is a DAG some eight layers deep.
 */
export function generatedCatalog(count: number, seed = 7): Catalog {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const sources: CatalogSource[] = DOMAINS.map((d) => ({
    name: d, file: `data/${d}.csv`, rows: 1000 + Math.floor(rand() * 90_000), loadedAt: '2026-01-01T05:00:00.000Z',
    columns: [`${d.replace(/s$/, '')}_id`, 'created_at', 'status', 'amount'].map((name, i) => ({ name, type: ['VARCHAR', 'TIMESTAMP', 'VARCHAR', 'DOUBLE'][i]!, checks: [] })),
    downstream: [],
  }));
  const byDomain = new Map<string, string[]>(DOMAINS.map((d) => [d, [d]]));
  const metrics: CatalogMetric[] = [];
  const edges: Catalog['edges'] = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const name = `${domain}_${MEASURES[Math.floor(i / DOMAINS.length) % MEASURES.length]}${i >= DOMAINS.length * MEASURES.length ? `_${i}` : ''}`;
    const own = byDomain.get(domain)!;
    const reads = new Set<string>([own.length > 1 && rand() < 0.7 ? own[own.length - 1 - Math.floor(rand() * Math.min(3, own.length - 1))]! : domain]);
    if (rand() < 0.25) reads.add(pick(byDomain.get(pick(DOMAINS))!));
    if (rand() < 0.15) reads.add(pick(own));
    const upstream = [...reads];
    for (const u of upstream) edges.push({ from: u, to: name });
    const roll = rand();
    const lastRun: CatalogMetric['lastRun'] =
      roll < 0.06 ? { runId: 'r2', status: 'failed', reason: null, rows: null, durationMs: 30, finishedAt: '2026-01-01T06:00:03.000Z', error: 'Conversion Error: could not convert' }
      : roll < 0.1 ? null
      : roll < 0.5 ? { runId: 'r2', status: 'skipped', reason: 'up to date', rows: null, durationMs: null, finishedAt: '2026-01-01T06:00:02.000Z', error: null }
      : { runId: 'r2', status: 'success', reason: null, rows: 10 + Math.floor(rand() * 5000), durationMs: 20 + Math.floor(rand() * 400), finishedAt: '2026-01-01T06:00:01.000Z', error: null };
    metrics.push(metric(name, {
      description: `The ${name.replace(/_/g, ' ')} figure.`, owner: pick(['finance', 'growth', 'ops', 'crm']), tags: [domain],
      upstream, built: lastRun !== null,
      lastBuild: lastRun === null ? null : { rows: lastRun.rows ?? 120, builtAt: '2026-01-01T06:00:01.000Z', runId: lastRun.status === 'success' ? 'r2' : 'r1' },
      sql: `SELECT ${domain.replace(/s$/, '')}_id, count(*) AS n_${i}\nFROM ${upstream.join(' JOIN ')}\nGROUP BY ALL`,
      lastRun,
    }));
    own.push(name);
  }
  const downstream = new Map<string, string[]>();
  for (const e of edges) downstream.set(e.from, [...(downstream.get(e.from) ?? []), e.to]);
  for (const t of [...sources, ...metrics]) t.downstream = downstream.get(t.name) ?? [];
  return {
    generatedAt: '2026-01-01T12:00:00.000Z',
    project: { root: '/home/ana/big-metrics', database: '/home/ana/big-metrics/metrics.duckdb', timezone: 'UTC' },
    sources, metrics, edges,
  };
}
