// The public facade: `createEngine` hands each verb to its task module, all sharing one session.
import type { Catalog } from '../catalog.ts';
import type { ResolvedConfig } from '../plugins/plugin.ts';
import type { EngineEvents } from '../events.ts';
import type { Selection } from '../project/selection.ts';
import type { CleanResult, LoadResult, RunResult, TestResult, ValidateResult } from '../results.ts';
import { readHistory } from '../state/runs.ts';
import type { HistoryEntry } from '../state/runs.ts';
import { readStateView } from '../state/state-view.ts';
import { catalogProject } from '../tasks/catalog.ts';
import { cleanProject } from '../tasks/clean.ts';
import { loadSources } from '../tasks/load.ts';
import type { LoadOptions } from '../tasks/load.ts';
import { planMetrics } from '../tasks/plan.ts';
import type { PlanOptions } from '../tasks/plan.ts';
import { publishPlan } from '../tasks/publish.ts';
import { rollbackMetric } from '../tasks/rollback.ts';
import type { PlanResult, PublishResult, RollbackResult } from '../preview/plan-types.ts';
import { runMetrics } from '../tasks/run.ts';
import { describeMetrics } from '../tasks/describe-metrics.ts';
import type { MetricDescription } from '../tasks/describe-metrics.ts';
import { queryMetric } from '../tasks/query-metric.ts';
import type { QueryMetricOptions, QueryMetricResult } from '../tasks/query-metric.ts';
import { selectRows } from '../tasks/select.ts';
import { queryAsOf, readMetricAsOf } from '../tasks/as-of.ts';
import type { SelectResult } from '../tasks/select.ts';
import { testMetrics } from '../tasks/test.ts';
import { startReadingFiles } from '../project/load-project.ts';
import { selectValidation, validateProject } from '../tasks/validate.ts';
import type { CleanOptions, EngineOptions, RunOptions, TestOptions } from './options.ts';
import { createSession } from './session.ts';
import { storageFault } from '../database/duckdb.ts';

/**
 * The duckmetrics engine. One instance holds one DuckDB connection; call `close()` when done.
 *
 * @example
 * ```ts
 * const engine = createEngine({ cwd: 'my-project' });
 * engine.on('metric:end', (m) => console.log(m.name, m.status));
 * await engine.load();
 * const result = await engine.run();
 * await engine.close();
 * ```
 */
export interface Engine {
  /** The resolved config (loads it on first call). */
  config(): Promise<ResolvedConfig>;
  /**
   * Loads source tables through the plugins' `loadSources` hooks (`duckmetrics setup`). Plugins may skip a source
   * whose fingerprint did not change since it was loaded; `force` reloads everything. Sources whose files are gone
   * are reported as `missing` (with `prune`, their tables are dropped).
   */
  load(options?: LoadOptions): Promise<LoadResult>;
  /**
   * Checks every metric file and its SQL without building anything. With a selection, reports only the selected
   * metrics (and files that could not be read); the whole project is still checked, since selected metrics may
   * read the others.
   */
  validate(selection?: Selection): Promise<ValidateResult>;
  /**
   * Validates, then builds the selected valid metrics in dependency order, skipping those whose inputs did not
   * change since their last build; never rejects because one metric failed.
   */
  run(options?: RunOptions): Promise<RunResult>;
  /**
   * Builds what a run would rebuild into the preview schema (`_duckmetrics_preview`), runs its unit tests and
   * checks, and diffs each preview against its published table; nothing published changes.
   *
   * @example
   * ```ts
   * const plan = await engine.plan({ select: ['stg_orders+'] });
   * for (const m of plan.metrics) if (m.diff) console.log(m.name, m.diff.rowsBefore, '→', m.diff.rowsAfter);
   * if (plan.ok) await engine.publish();
   * ```
   */
  plan(options?: PlanOptions): Promise<PlanResult>;
  /** Promotes the last plan's previews into place in one transaction, without running metric SQL; refuses when it went stale. */
  publish(): Promise<PublishResult>;
  /** Puts back the version of a metric's table published before the current one. */
  rollback(name: string): Promise<RollbackResult>;
  /**
   * Runs the data checks of the selected metrics against their current tables (`duckmetrics test`).
   *
   * @example
   * ```ts
   * const { ok, checks } = await engine.test({ select: ['tag:finance'] });
   * for (const c of checks.filter((c) => c.status !== 'pass')) console.log(c.metric, c.check, c.failingRows);
   * ```
   */
  test(options?: TestOptions): Promise<TestResult>;
  /**
   * Everything known about the project as plain data: metrics (definition, columns with types, checks, lineage,
   * last run, next due time), sources and lineage edges. Validates the project first; builds nothing.
   */
  catalog(options?: { now?: Date }): Promise<Catalog>;
  /**
   * The last runs, newest first (from `_duckmetrics.runs`); with `name`, that metric's last runs.
   *
   * @example
   * ```ts
   * const [last] = await engine.history({ name: 'customer_ltv', limit: 1 });
   * ```
   */
  history(options?: { name?: string; limit?: number }): Promise<HistoryEntry[]>;
  /** Drops metric tables (with `all`, sources and state too; with `snapshots`, every kept version), then runs the plugins' `clean` hooks. */
  clean(options?: CleanOptions): Promise<CleanResult>;
  /**
   * Reads rows from the project database (for small results: rows come into JS). Values are plain (see `Database.all`).
   * With `asOf`, every snapshotted metric the SQL reads is read as it was published at that time.
   *
   * @example
   * ```ts
   * const top = await engine.query('SELECT * FROM customer_lifetime_value ORDER BY lifetime_value DESC LIMIT 5');
   * ```
   */
  query<T = Record<string, unknown>>(sql: string, options?: { asOf?: string | Date }): Promise<T[]>;
  /**
   * The rows of a snapshotted metric as they were published at `time` (a Date, or text DuckDB casts to TIMESTAMPTZ),
   * from its versions in `snapshots.<name>`; at most `limit` rows (default 100). See docs/snapshots.md.
   *
   * @example
   * ```ts
   * const { rows } = await engine.asOf('customer_lifetime_value', '2026-11-01', { limit: 10 });
   * ```
   */
  asOf(name: string, time: string | Date, options?: { limit?: number }): Promise<SelectResult>;
  /**
   * Runs one read-only SELECT under the sandbox (`duckmetrics query`): DuckDB's parser must find exactly one
   * SELECT; it runs in a transaction that is rolled back; at most `limit` rows (default 100) come back, with the
   * columns and their types. Bad SQL rejects with `QUERY_INVALID`.
   *
   * @example
   * ```ts
   * const { columns, rows, truncated } = await engine.select('SELECT * FROM customer_lifetime_value ORDER BY 2 DESC', { limit: 10 });
   * ```
   */
  select(sql: string, options?: { limit?: number; asOf?: string | Date }): Promise<SelectResult>;
  /**
   * Measures of one metric by dimensions and a time grain (`duckmetrics query <metric>`): the SELECT is generated
   * from DuckDB's parse of the metric's measures and `where`, and runs like `select()`. Bad options reject with
   * `QUERY_INVALID` naming every problem; an unknown metric with `METRIC_NOT_FOUND`.
   *
   * @example
   * ```ts
   * const { rows } = await engine.queryMetric({ metric: 'order_values', measures: ['revenue'], grain: 'month', from: '2018-01-01', to: '2018-07-01' });
   * ```
   */
  queryMetric(options: QueryMetricOptions): Promise<QueryMetricResult>;
  /** The metrics with their measures, dimensions and time, from the metric files (nothing is validated or built). */
  describeMetrics(): Promise<MetricDescription[]>;
  /** Closes the database. */
  close(): Promise<void>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof EngineEvents>(event: K, handler: (payload: EngineEvents[K]) => void): () => void;
}

/**
 * Creates an engine for a project. Nothing is read or opened until the first call.
 *
 * @example
 * ```ts
 * const engine = createEngine({ cwd: process.cwd(), config: { database: ':memory:' } });
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const session = createSession(options);
  // A verb that fails to write the database file (disk full, read-only folder) says so as DATABASE_ERROR.
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storageFault(error, (await session.config().catch(() => undefined))?.database ?? 'the database') ?? error;
    }
  };
  return {
    config: () => session.config(),
    load: (loadOptions = {}) => guard(() => loadSources(session, loadOptions)),
    validate: (selection = {}) => guard(async () => {
      const files = startReadingFiles(await session.config()); // while the database opens
      const db = await session.sandboxedDb();
      return selectValidation(await validateProject(session, db, await readStateView(db), session.signal, files), selection);
    }),
    run: (runOptions = {}) => guard(() => runMetrics(session, runOptions)),
    plan: (planOptions = {}) => guard(() => planMetrics(session, planOptions)),
    publish: () => guard(() => publishPlan(session)),
    rollback: (name) => guard(() => rollbackMetric(session, name)),
    test: (testOptions = {}) => guard(() => testMetrics(session, testOptions)),
    catalog: (catalogOptions = {}) => guard(() => catalogProject(session, catalogOptions.now ?? new Date())),
    history: (historyOptions = {}) => guard(async () => readHistory(await session.db(), historyOptions)),
    clean: (cleanOptions = {}) => guard(() => cleanProject(session, cleanOptions)),
    query: async <T>(sql: string, queryOptions: { asOf?: string | Date } = {}) => (queryOptions.asOf === undefined ? (await session.db()).all<T>(sql) : guard(() => queryAsOf<T>(session, sql, queryOptions.asOf!))),
    asOf: (name, time, asOfOptions = {}) => guard(() => readMetricAsOf(session, name, time, asOfOptions)),
    select: (sql, selectOptions = {}) => guard(() => selectRows(session, sql, selectOptions)),
    queryMetric: (queryOptions) => guard(() => queryMetric(session, queryOptions)),
    describeMetrics: () => describeMetrics(session),
    close: () => session.close(),
    on(event, handler) {
      session.emitter.on(event, handler);
      return () => session.emitter.off(event, handler);
    },
  };
}
