// The catalog's charts: each metric's first measure over time, at the coarsest grain that still shows a shape.
import type { CatalogTrend } from '../catalog.ts';
import type { Database } from '../database/database.ts';
import { quoteIdent } from '../database/sql.ts';
import type { Session } from '../engine/session.ts';
import type { Metric } from '../metrics/metric.ts';
import type { TimeGrain } from '../semantic/semantic-model.ts';
import { queryMetric } from './query-metric.ts';

/** The fewest periods a chart should have: the coarsest grain with at least this many is chosen. */
const MIN_POINTS = 12;
const COARSEST_FIRST: readonly TimeGrain[] = ['year', 'quarter', 'month', 'week', 'day'];
const DAY_MS = 86_400_000;

/**
 * The trend of every built metric that declares `time` and a measure: its first measure per period, computed now
 * (the site stays one file with no queries of its own). A metric whose query fails gets no chart.
 */
export async function catalogTrends(session: Session, db: Database, metrics: readonly Metric[], built: (m: Metric) => boolean): Promise<Map<Metric, CatalogTrend>> {
  const out = new Map<Metric, CatalogTrend>();
  for (const metric of metrics) {
    const time = metric.semantic?.time?.name;
    const measure = metric.semantic?.measures[0]?.name;
    if (time === undefined || measure === undefined || !built(metric)) continue;
    try {
      const [span] = await db.all<{ lo: number | null; hi: number | null }>(`SELECT epoch_ms(min(${quoteIdent(time)})::TIMESTAMP) AS lo, epoch_ms(max(${quoteIdent(time)})::TIMESTAMP) AS hi FROM ${quoteIdent(metric.name)}`);
      if (!span || span.lo === null || span.hi === null) continue;
      const grain = grainFor(span.lo, span.hi);
      const result = await queryMetric(session, { metric: metric.name, measures: [measure], grain, limit: 1000 }, metrics);
      out.set(metric, {
        measure, grain,
        points: result.rows.map((r) => ({ period: periodText(r[grain]), value: typeof r[measure] === 'number' ? (r[measure] as number) : r[measure] === null ? null : Number(r[measure]) })),
      });
    } catch {
      // No chart rather than no catalog.
    }
  }
  return out;
}

/** The coarsest grain with at least MIN_POINTS periods between two instants (epoch ms), else days. */
export function grainFor(lo: number, hi: number): TimeGrain {
  const a = new Date(lo);
  const b = new Date(hi);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
  const periods: Record<TimeGrain, number> = {
    year: b.getUTCFullYear() - a.getUTCFullYear() + 1,
    quarter: Math.floor((b.getUTCFullYear() * 12 + b.getUTCMonth()) / 3) - Math.floor((a.getUTCFullYear() * 12 + a.getUTCMonth()) / 3) + 1,
    month: months,
    week: Math.floor((hi - lo) / (7 * DAY_MS)) + 1,
    day: Math.floor((hi - lo) / DAY_MS) + 1,
  };
  return COARSEST_FIRST.find((g) => periods[g] >= MIN_POINTS) ?? 'day';
}

function periodText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}
