import type { CatalogMetric } from '@duckmetrics/core';

/** How a metric is coloured in the list and the lineage graph. */
export type MetricStatus = 'success' | 'failed' | 'skipped' | 'invalid' | 'never';

/** A metric's status for display: the class that colours it and the words that explain it. */
export interface MetricStatusView {
  status: MetricStatus;
  /** e.g. `success`, `up to date`, `failed`, `skipped: upstream failed: orders`, `invalid`, `not run yet`. */
  label: string;
}

/**
 * The status a metric is shown with: `invalid` when its file or SQL is invalid, else its last run's status.
 * A run that skipped it as `up to date` counts as `success` (its table is current); cancelled counts as failed.
 *
 * @example
 * ```ts
 * metricStatus(metric); // { status: 'success', label: 'up to date' }
 * ```
 */
export function metricStatus(metric: CatalogMetric): MetricStatusView {
  if (metric.status === 'invalid') return { status: 'invalid', label: 'invalid' };
  const run = metric.lastRun;
  if (run === null) return { status: 'never', label: metric.built ? 'built, no run recorded' : 'not run yet' };
  if (run.status === 'success') return { status: 'success', label: 'success' };
  if (run.status === 'skipped' && run.reason === 'up to date') return { status: 'success', label: 'up to date' };
  if (run.status === 'skipped') return { status: 'skipped', label: run.reason ? `skipped: ${run.reason}` : 'skipped' };
  return { status: 'failed', label: run.status };
}
