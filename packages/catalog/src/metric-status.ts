// How a metric's state is shown: one colour for its table, and apart from it what the last run did with it.
import type { CatalogLastRun, CatalogMetric } from '@duckmetrics/core';

/** How a metric is coloured in the list and the lineage graph. */
export type MetricStatus = 'success' | 'failed' | 'skipped' | 'invalid' | 'never';

/** A metric's status for display: the class that colours it and the words that explain it. */
export interface MetricStatusView {
  status: MetricStatus;
  /** e.g. `built by the last run`, `up to date`, `failed`, `skipped: upstream failed: orders`, `invalid`, `not run yet`. */
  label: string;
}

/** Reasons a run leaves a metric alone that say nothing against its table. */
const HARMLESS_SKIPS = new Set(['up to date', 'not selected', 'not due']);

/**
 * The status a metric is shown with. Its colour says whether its table can be trusted: green when it is built and
 * the last run built it, found it up to date, or did not look at it (not selected, not due); red when the last
 * run failed (an older table may remain); grey when the last run skipped it for a reason against it (an upstream
 * failed); orange when its file or SQL is invalid; white when it was never built.
 *
 * @example
 * ```ts
 * metricStatus(metric); // { status: 'success', label: 'up to date' }
 * ```
 */
export function metricStatus(metric: CatalogMetric): MetricStatusView {
  if (metric.status === 'invalid') return { status: 'invalid', label: 'invalid' };
  const run = metric.lastRun;
  if (run === null) return metric.built ? { status: 'success', label: 'built, no run recorded' } : { status: 'never', label: 'not run yet' };
  if (run.status === 'success') return { status: 'success', label: 'built by the last run' };
  if (run.status === 'skipped' && run.reason === 'up to date') return { status: 'success', label: 'up to date' };
  if (run.status === 'skipped' && HARMLESS_SKIPS.has(run.reason ?? '')) {
    return metric.built ? { status: 'success', label: `built · last run: ${run.reason}` } : { status: 'never', label: `not built yet · last run: ${run.reason}` };
  }
  if (run.status === 'skipped') return { status: 'skipped', label: run.reason ? `skipped: ${run.reason}` : 'skipped' };
  return { status: 'failed', label: run.status };
}

/** What a run did with a metric, in words, and the badge class it is shown with. */
export interface RunOutcomeView {
  /** `built`, `up to date`, `not selected`, `skipped`, `failed`, … */
  text: string;
  /** `st-success`, `st-current` (left alone, nothing to do), `st-skipped`, `st-failed`. */
  className: string;
}

/**
 * The last run's outcome as shown apart from the table: a build is "built"; a skip because nothing changed is
 * "up to date" (not a green "skipped"); other skips name their reason.
 *
 * @example
 * ```ts
 * runOutcome({ status: 'skipped', reason: 'up to date', … }); // { text: 'up to date', className: 'st-current' }
 * ```
 */
export function runOutcome(run: CatalogLastRun): RunOutcomeView {
  if (run.status === 'success') return { text: 'built', className: 'st-success' };
  if (run.status === 'skipped' && run.reason !== null && HARMLESS_SKIPS.has(run.reason)) return { text: run.reason, className: 'st-current' };
  if (run.status === 'skipped') return { text: 'skipped', className: 'st-skipped' };
  return { text: run.status, className: 'st-failed' };
}
