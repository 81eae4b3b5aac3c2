// The one namespace of tables: sources, metrics and duckmetrics' own names, and who holds each name.
import type { Metric } from '../metrics/metric.ts';
import type { StateView } from '../state/state-view.ts';

/** Prefix of the staging tables builds write to before publishing; names starting with it are reserved. */
export const STAGING_PREFIX = '__duckmetrics_staging_';

/** True for a name no source or metric may take (compared case-insensitively). */
export function isReservedName(name: string): boolean {
  return name.toLowerCase().startsWith(STAGING_PREFIX);
}

/**
 * True when `key` (lower-case) names a source: one a plugin loaded, or a table duckmetrics did not build. Such a
 * table is never replaced by a metric, and `clean` never drops it.
 */
export function isSourceName(key: string, state: Pick<StateView, 'sources' | 'tables' | 'metrics'>): boolean {
  return state.sources.has(key) || (state.tables.has(key) && !state.metrics.has(key));
}

/**
 * The names a source plugin must not load, by lower-case name, each with what holds it: every metric of the
 * project (built or not) and every table duckmetrics built. Loading over one would lose a metric's table or
 * make a metric unbuildable.
 */
export function namesHeldByMetrics(metrics: readonly Pick<Metric, 'name' | 'file'>[], state: Pick<StateView, 'metrics' | 'sources'>): Map<string, string> {
  const held = new Map<string, string>();
  for (const m of state.metrics.values()) if (!state.sources.has(m.name.toLowerCase())) held.set(m.name.toLowerCase(), `the table of metric ${m.name}`);
  for (const m of metrics) held.set(m.name.toLowerCase(), `metric ${m.name} (${m.file})`);
  return held;
}
