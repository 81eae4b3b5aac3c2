// The one namespace of tables: sources, metrics and duckmetrics' own names, and who holds each name.

/** Prefix of the staging tables builds write to before publishing; names starting with it are reserved. */
export const STAGING_PREFIX = '__duckmetrics_staging_';

/**
 * Schema holding the rejected result of each metric whose audit failed (`duckmetrics test` reads its failing rows
 * there); a metric's entry is dropped by its next good build and by `clean`.
 */
export const QUARANTINE_SCHEMA = '_duckmetrics_quarantine';

/** Schema holding what `duckmetrics plan` built, until `publish` promotes it, the next plan replaces it or `clean` drops it. */
export const PREVIEW_SCHEMA = '_duckmetrics_preview';

/** Schema holding the version of each table published before the current one, for `rollback`; `clean` drops it. */
export const PREVIOUS_SCHEMA = '_duckmetrics_previous';

/**
 * Schema holding every published version of each metric with `snapshot` set (`snapshots.<metric>`, SCD type 2);
 * metric SQL may read it for snapshotted metrics, `run --full-refresh` never erases it, and only `clean --snapshots` drops it.
 */
export const SNAPSHOT_SCHEMA = 'snapshots';

/** Who holds which names, by lower-case name: the part of the state view the namespace rules read. */
export interface NameHolders {
  sources: ReadonlyMap<string, unknown>;
  tables: ReadonlyMap<string, unknown>;
  metrics: ReadonlyMap<string, { name: string }>;
}

/** True for a name no source or metric may take (compared case-insensitively). */
export function isReservedName(name: string): boolean {
  const key = name.toLowerCase();
  return key.startsWith(STAGING_PREFIX) || key.startsWith(`${SNAPSHOT_SCHEMA}.`);
}

/**
 * True when `key` (lower-case) names a source: one a plugin loaded, or a table duckmetrics did not build. Such a
 * table is never replaced by a metric, and `clean` never drops it.
 */
export function isSourceName(key: string, state: NameHolders): boolean {
  return state.sources.has(key) || (state.tables.has(key) && !state.metrics.has(key));
}

/**
 * The names a source plugin must not load, by lower-case name, each with what holds it: every table
 * duckmetrics built for a metric. Loading over one would lose the metric's table. (A metric file whose name a
 * source takes first is the metric's problem: validation reports it as `METRIC_SHADOWS_SOURCE`. Either way the
 * name stays with whoever holds it, and the newcomer gets the diagnostic.)
 */
export function namesHeldByMetrics(state: Pick<NameHolders, 'metrics' | 'sources'>): Map<string, string> {
  const held = new Map<string, string>();
  for (const m of state.metrics.values()) if (!state.sources.has(m.name.toLowerCase())) held.set(m.name.toLowerCase(), `the table of metric ${m.name}`);
  return held;
}
