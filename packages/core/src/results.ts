// The public result types of every verb.
import type { Diagnostic } from './diagnostics.ts';
import type { SourceFileChange } from './state/source-files.ts';

/** One source table after `load()`. */
export interface SourceResult {
  /** Table name. */
  name: string;
  /** File it came from, relative to the project root, when it came from a file. */
  file?: string;
  /** Plugin that loaded it. */
  plugin: string;
  /**
   * `loaded`, `unchanged` (fingerprint as before: not reloaded), `failed` (the previous table, if any, is kept),
   * `missing` (its file is gone: the table is stale, and metrics reading it are not built), or `pruned` (its file
   * was gone and `prune` dropped the table).
   */
  status: 'loaded' | 'unchanged' | 'failed' | 'missing' | 'pruned';
  /** Rows in the table after loading. */
  rows?: number;
  /** Milliseconds spent. */
  durationMs?: number;
  /** Why it failed. */
  error?: Diagnostic;
}

/** What `engine.load()` resolves to. */
export interface LoadResult {
  /** True when every source loaded. */
  ok: boolean;
  sources: SourceResult[];
  /** Problems not tied to one source (e.g. a plugin hook that threw). */
  errors: Diagnostic[];
}

/** One metric file's validation outcome. */
export interface MetricValidation {
  /** `metric_name`, or null when the file could not be read that far. */
  name: string | null;
  /** File, relative to the project root. */
  file: string;
  status: 'valid' | 'invalid';
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** What `engine.validate()` resolves to. */
export interface ValidateResult {
  /** True when every metric is valid. */
  ok: boolean;
  metrics: MetricValidation[];
}

/** One metric's run outcome. */
export interface MetricRunResult {
  name: string | null;
  file: string;
  status: 'success' | 'failed' | 'skipped';
  /** Why it was skipped or failed, in a few words (`invalid`, `upstream failed: x`, …). */
  reason?: string;
  /** Rows in the built table. */
  rows?: number;
  /** Milliseconds spent building it. */
  durationMs?: number;
  /** The error that failed it. */
  error?: Diagnostic;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** For a metric with `snapshot`: what its new version changed in `snapshots.<name>` (keys, or rows without a key). */
  snapshot?: { changed: number; added: number; removed: number; expired: number };
}

/** What `engine.run()` resolves to. It never rejects because one metric failed. */
export interface RunResult {
  /** True when no metric failed or was invalid. */
  ok: boolean;
  metrics: MetricRunResult[];
  /** Milliseconds for the whole run. */
  durationMs: number;
  /**
   * Present when some source's file changed or disappeared since `setup` loaded it: the run used the tables as
   * loaded (metrics reading a missing one failed with `source file missing`). Run `duckmetrics setup` (or
   * `duckmetrics build`, which loads changed sources and then runs).
   */
  sourcesChanged?: SourceFileChange[];
}

/** What `engine.clean()` resolves to. */
export interface CleanResult {
  ok: boolean;
  /** Tables and views dropped. */
  dropped: string[];
  errors: Diagnostic[];
}

/** One check's outcome in `engine.test()`. */
export interface CheckResult {
  /** Metric name. */
  metric: string;
  /** Metric file. */
  file: string;
  /** Column the check is about, when it is a column check. */
  column?: string;
  /** Check name, e.g. `not_null(customer_id)`. */
  check: string;
  /** Check type, e.g. `not_null`. */
  type: string;
  severity: 'error' | 'warn';
  /** `pass`, `fail` (rows fail it) or `error` (it could not run, e.g. the table is not built). */
  status: 'pass' | 'fail' | 'error';
  /** Rows that fail it. */
  failingRows: number;
  message: string;
  /** Line of the check in the metric file. */
  line: number;
  /** A few failing rows. */
  sample?: Array<Record<string, unknown>>;
  /** The SELECT that returns every failing row (failed checks): paste it into `duckmetrics query` or any DuckDB client. */
  query?: string;
  /**
   * Set when the rows checked are the rejected result of the last build (its audit failed, so it was not
   * published): `_duckmetrics_quarantine.<metric>`. Otherwise the published table was checked.
   */
  table?: string;
}

/** One unit test's outcome (`tests:` in a metric file). */
export interface UnitTestResult {
  /** Metric name. */
  metric: string;
  /** Metric file. */
  file: string;
  /** Test name. */
  test: string;
  /** Line of the test (or of the input it is about) in the metric file. */
  line: number;
  /** `pass`, `fail` (the rows differ) or `error` (it could not run: a missing input, a bad value, an SQL error). */
  status: 'pass' | 'fail' | 'error';
  message: string;
  /** For `fail`: expected rows the result does not have, and result rows that were not expected. */
  diff?: { missing: Array<Record<string, number | string | null>>; unexpected: Array<Record<string, number | string | null>> };
  /** For `fail`: the columns compared, in the result's order. */
  columns?: string[];
  /** Milliseconds, setting up the test database included. */
  durationMs: number;
}

/** What `engine.test()` resolves to. */
export interface TestResult {
  /** True when every unit test passed and no error-severity check failed or errored. */
  ok: boolean;
  /** Unit tests of the selected metrics (empty with `data` only). */
  tests: UnitTestResult[];
  /** Data checks of the selected metrics (empty with `unit` only). */
  checks: CheckResult[];
}
