// The metrics a project declares for querying (name, measures, dimensions, time), read from the metric files alone.
import type { Session } from '../engine/session.ts';
import { scanMetricFiles } from '../metrics/metric-files.ts';
import { loadMetricFile } from '../metrics/metric-loader.ts';
import type { Metric } from '../metrics/metric.ts';

/**
 * One metric as `GET /api/metrics`, `list_metrics` and `engine.describeMetrics()` give it: what can be asked of it.
 *
 * @example
 * ```ts
 * const [first] = await engine.describeMetrics();
 * first.measures.map((m) => m.name); // ['revenue', 'orders', 'aov']
 * ```
 */
export interface MetricDescription {
  name: string;
  description: string;
  owner: string;
  tags: string[];
  file: string;
  /** The DATE / TIMESTAMP column queries group by day … year, or null. */
  time: string | null;
  dimensions: string[];
  measures: Array<{ name: string; expr: string; description?: string }>;
}

/** Every metric file that parses, as a `Metric` (YAML and schema only: no SQL is checked or run). */
export async function readMetrics(session: Session): Promise<Metric[]> {
  const config = await session.config();
  const scan = await scanMetricFiles(config.metricsDir, config.root);
  const files = await Promise.all(scan.files.map((file) => loadMetricFile(file, config.root)));
  return files.flatMap((f) => (f.metric ? [f.metric] : [])).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A metric as a `MetricDescription`. */
export function describeMetric(metric: Metric): MetricDescription {
  const semantic = metric.semantic;
  return {
    name: metric.name, description: metric.description, owner: metric.owner, tags: metric.tags, file: metric.file,
    time: semantic?.time?.name ?? null,
    dimensions: semantic?.dimensions.map((d) => d.name) ?? [],
    measures: semantic?.measures.map((m) => ({ name: m.name, expr: m.expr, ...(m.description === undefined ? {} : { description: m.description }) })) ?? [],
  };
}

/** Every metric of the project, described for querying. */
export async function describeMetrics(session: Session): Promise<MetricDescription[]> {
  return (await readMetrics(session)).map(describeMetric);
}
