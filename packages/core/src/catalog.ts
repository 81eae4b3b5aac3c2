// The public types of the catalog: what `engine.catalog()` returns for the docs site.
import type { Diagnostic } from './diagnostics.ts';

/** A column in the catalog. */
export interface CatalogColumn {
  name: string;
  /** DuckDB type, when the table exists. */
  type?: string;
  description?: string;
  /** Names of the checks on this column. */
  checks: string[];
}

/** The last run of a metric: what that run did with it. */
export interface CatalogLastRun {
  /** The run, as `duckmetrics history` shows it. */
  runId: string;
  status: string;
  reason: string | null;
  rows: number | null;
  durationMs: number | null;
  /** ISO time. */
  finishedAt: string;
  error: string | null;
}

/** A metric's table as duckmetrics last built it (apart from what the last run did). */
export interface CatalogBuild {
  /** Rows when it was built (null for a view). */
  rows: number | null;
  /** ISO time it was built. */
  builtAt: string;
  /** The run that built it: the metric's latest successful run (null when no run recorded one). */
  runId: string | null;
}

/** A metric's first measure over time, for the catalog's chart (computed when the catalog is made). */
export interface CatalogTrend {
  /** The measure charted. */
  measure: string;
  /** The period of each point: the coarsest grain with at least 12 periods in the table, else day. */
  grain: 'day' | 'week' | 'month' | 'quarter' | 'year';
  /** One point per period, in time order; `value` is null for a period with no rows. */
  points: Array<{ period: string; value: number | null }>;
}

/** One metric in the catalog. */
export interface CatalogMetric {
  name: string;
  file: string;
  description: string;
  owner: string;
  schedule: string;
  /** ISO time it is next due (null: due now, never built). */
  nextDue: string | null;
  tags: string[];
  materialized: 'table' | 'view';
  sql: string;
  columns: CatalogColumn[];
  /** Metric-level checks (names, with type and severity). */
  checks: Array<{ name: string; type: string; severity: string; column?: string }>;
  /** Tables it reads: sources and metrics (names as written). */
  upstream: string[];
  /** Metrics that read it. */
  downstream: string[];
  status: 'valid' | 'invalid';
  errors: Diagnostic[];
  /** Whether its table or view exists. */
  built: boolean;
  /** True when the last `duckmetrics plan` left a preview of it that passed and is not published yet. */
  unpublishedPreview?: boolean;
  /** For a metric with `snapshot`: its key, retention and latest versions (oldest first) in `snapshots.<name>`. */
  snapshot?: CatalogSnapshot;
  /** For a metric that declares `time` and measures and is built: its first measure over time. */
  trend?: CatalogTrend;
  /** Its last build recorded in the state (null: never built by duckmetrics in this database). */
  lastBuild: CatalogBuild | null;
  lastRun: CatalogLastRun | null;
}

/** A snapshotted metric's versions, as the catalog shows them. */
export interface CatalogSnapshot {
  /** `snapshot.key`; empty when every build is a version of all rows. */
  key: string[];
  /** `snapshot.keep`, when set. */
  keep?: string;
  /** The latest versions, oldest first (at most 60). */
  versions: CatalogSnapshotVersion[];
}

/** One version of a snapshot: when, the rows valid from then on, and the keys it changed, added and removed (without a key: rows added and closed). */
export interface CatalogSnapshotVersion {
  /** ISO time the version became valid. */
  at: string;
  rows: number;
  changed: number;
  added: number;
  removed: number;
}

/** One source table in the catalog. */
export interface CatalogSource {
  name: string;
  file: string | null;
  /** The plugin that loaded it (`csv`, `postgres`), when the state recorded one. */
  origin?: string;
  rows: number | null;
  /** ISO time it was last loaded. */
  loadedAt: string | null;
  columns: CatalogColumn[];
  /** Metrics that read it. */
  downstream: string[];
}

/**
 * Everything known about a project, as plain data: for `list`, `show`, the docs site and dashboards.
 *
 * @example
 * ```ts
 * const catalog = await engine.catalog();
 * for (const m of catalog.metrics) console.log(m.name, m.lastRun?.status, m.nextDue);
 * ```
 */
export interface Catalog {
  /** ISO time the catalog was made. */
  generatedAt: string;
  project: { root: string; database: string; timezone: string };
  metrics: CatalogMetric[];
  sources: CatalogSource[];
  /** Lineage: data flows `from` → `to`. */
  edges: Array<{ from: string; to: string }>;
}
