// The options of the engine and its verbs: what `createEngine`, `run()` and `clean()` accept.
import type { Logger, UserConfig } from '../plugins/plugin.ts';
import type { Selection } from '../project/selection.ts';

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Project folder: where the config is searched and relative paths start. Default `process.cwd()`. */
  cwd?: string;
  /** Explicit config file, instead of searching. */
  configFile?: string;
  /** Config in code, merged over the config file's. */
  config?: UserConfig;
  /** Where plugin and engine messages go. Default: nowhere. */
  logger?: Partial<Logger>;
  /**
   * When another process holds the database file, keep retrying to open it for this many milliseconds before
   * throwing `DatabaseLockedError` (`--wait SECONDS` in the CLI). Default 0: fail at once.
   *
   * @example
   * ```ts
   * const engine = createEngine({ waitForLockMs: 30_000 });
   * ```
   */
  waitForLockMs?: number;
  /**
   * Cancels whatever the engine is doing: the running statement is interrupted, a run stops (recorded as
   * `cancelled`), a source being loaded keeps its previous table. The CLI aborts it on SIGINT / SIGTERM.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * process.once('SIGINT', () => controller.abort());
   * const engine = createEngine({ signal: controller.signal });
   * ```
   */
  signal?: AbortSignal;
  /**
   * Opens the database file read-only (DuckDB's `access_mode = READ_ONLY`) and writes nothing, not even the state
   * schema: for readers beside a writer, like `duckmetrics serve`. Only reading verbs work.
   */
  readOnly?: boolean;
}

/** Options of `engine.run()`. */
export interface RunOptions extends Selection {
  /** Cancels the run: the running statement is interrupted. */
  signal?: AbortSignal;
  /** Rebuild the selection even when nothing changed. */
  fullRefresh?: boolean;
  /** Metrics built at once (overrides the config's `threads`). */
  threads?: number;
  /** Run data checks before publishing each table. Default true; false is `--no-checks`. */
  checks?: boolean;
  /**
   * Run each metric's unit tests (`tests:` in its file) before building it; a failing test fails the metric with
   * reason `unit test failed`, keeps its previous table and skips its downstream. Default true; false is `--no-tests`.
   */
  tests?: boolean;
  /**
   * Build only the metrics whose cron `schedule` has come due since they were last built (or found up to date);
   * the others are `skipped` with reason `not due (next …)`. A metric never built is due.
   */
  due?: boolean;
  /** The time to judge `due` by. Default: now. */
  now?: Date;
}

/** Options of `engine.test()`. */
export interface TestOptions extends Selection {
  /** Run the unit tests (`tests:`). Default: true, unless `data: true` is given alone (`--data`). */
  unit?: boolean;
  /** Run the data checks against the tables. Default: true, unless `unit: true` is given alone (`--unit`). */
  data?: boolean;
  /** Failing rows shown per check. Default 5. */
  sample?: number;
}

/** Options of `engine.clean()`. */
export interface CleanOptions {
  /** Also drop source tables and duckmetrics' state. */
  all?: boolean;
  /** Also drop every version kept in `snapshots` (kept otherwise, even with `all`). */
  snapshots?: boolean;
}
