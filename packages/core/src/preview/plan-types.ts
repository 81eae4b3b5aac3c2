// The results of `plan`, `publish` and `rollback`: each metric's action and the diff of its preview (the JSON contract).
import type { Diagnostic } from '../diagnostics.ts';

/** A column of a diffed table. */
export interface DiffColumn {
  name: string;
  type: string;
}

/** One row of a diff's sample: a changed row (with a key), or an added or removed row. */
export interface DiffSampleRow {
  /** The key's values (null without a key). */
  key: Record<string, unknown> | null;
  /** The published row; null for an added row. */
  before: Record<string, unknown> | null;
  /** The previewed row; null for a removed row. */
  after: Record<string, unknown> | null;
}

/**
 * How a previewed table differs from the published one, computed in DuckDB.
 *
 * @example
 * ```ts
 * const { diff } = plan.metrics.find((m) => m.name === 'stg_orders')!;
 * console.log(diff?.rowsBefore, '→', diff?.rowsAfter, diff?.removed, 'removed');
 * ```
 */
export interface TableDiff {
  /** The columns rows are matched by (`unique_key`, else a `unique` / `unique_combination` check), or null. */
  key: string[] | null;
  /** Rows of the published table; null when the metric is new or either side is a view. */
  rowsBefore: number | null;
  /** Rows of the previewed table; null for a view. */
  rowsAfter: number | null;
  /** With a key: keys only in the preview; without: rows of the preview not in the published table (multiset). */
  added: number | null;
  /** With a key: keys only in the published table; without: the multiset difference the other way. */
  removed: number | null;
  /** Keys in both whose row differs; null without a key. */
  changed: number | null;
  schema: { added: DiffColumn[]; removed: DiffColumn[]; changed: Array<{ name: string; before: string; after: string }> };
  /** With a key: each column both sides have → the number of keys whose value changed. */
  columns: Record<string, number>;
  /** Up to N rows that differ (changed first, then removed, then added). */
  sample: DiffSampleRow[];
}

/** One metric in a plan. */
export interface MetricPlan {
  name: string;
  file: string;
  /** `build`: built into the preview (it changed, or is new); `skip`: not rebuilt (up to date, not selected, upstream failed, …). */
  action: 'build' | 'skip';
  /** Why: `new`, `changed`, `full refresh` for a build; the skip reason otherwise. */
  reason: string;
  materialized: 'table' | 'view';
  /** How the preview went: `success`, `failed` (build, audit or unit test; blocks publishing it and its downstream), `skipped`. */
  status: 'success' | 'failed' | 'skipped';
  /** The diff against the published table (previewed metrics whose table exists in the preview). */
  diff?: TableDiff;
  /** Metrics that the plan rebuilds because this one changed (its downstream in the plan). */
  downstream: string[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  durationMs?: number;
}

/** What `engine.plan()` returns. */
export interface PlanResult {
  /** True when every previewed build, audit and unit test passed. */
  ok: boolean;
  planId: string;
  metrics: MetricPlan[];
  /** Metrics `publish` would promote. */
  publishable: string[];
  durationMs: number;
}

/** What `engine.publish()` returns. */
export interface PublishResult {
  /** False when publishing was refused, or some previewed metric was blocked by a failure in the preview. */
  ok: boolean;
  /** Metrics promoted from the preview. */
  published: Array<{ name: string; rows: number | null }>;
  /** Metrics not promoted: their preview failed, or an upstream's did. */
  blocked: Array<{ name: string; reason: string }>;
  /** Why nothing was published (no plan, or what changed since the plan); empty when it went ahead. */
  refused: string[];
  durationMs: number;
}

/** What `engine.rollback(name)` returns. */
export interface RollbackResult {
  ok: boolean;
  name: string;
  /** Rows of the table put back, and of the one it replaced (now the previous version). */
  rows: number | null;
  replacedRows: number | null;
  /** Why nothing was rolled back. */
  error?: string;
}
