import mitt from 'mitt';
import type { ResolvedConfig, UserConfig } from '../config/config.ts';
import { loadConfig } from '../config/config-loader.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { EngineEvents } from '../events.ts';
import { DuckmetricsError, errorMessage } from '../errors.ts';
import { openDuckDatabase, stopBuildsOnAbort } from '../database/duckdb.ts';
import type { DuckDatabase } from '../database/duckdb.ts';
import { pluginErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import { runProject } from '../tasks/run.ts';
import { quoteIdent } from '../database/sql.ts';
import { validateProject } from '../tasks/validate.ts';
import type { ProjectValidation } from '../tasks/validate.ts';
import { relativeFile } from '../metrics/metric-loader.ts';
import type { HookContext, Logger } from '../plugins/plugin.ts';
import { createPluginDriver } from '../plugins/plugin-driver.ts';
import type { PluginDriver } from '../plugins/plugin-driver.ts';
import type { CheckResult, CleanResult, LoadResult, RunResult, SourceResult, TestResult, ValidateResult } from '../results.ts';
import { runChecks } from '../checks/check-runner.ts';
import type { CheckOutcome } from '../checks/check-runner.ts';
import { markInterruptedRuns, readHistory } from '../state/runs.ts';
import type { Catalog } from '../catalog.ts';
import { buildCatalog } from '../tasks/catalog.ts';
import type { HistoryEntry } from '../state/runs.ts';
import { selectMetrics } from '../project/selection.ts';
import type { Selection } from '../project/selection.ts';
import { ensureStateSchema, readCatalog, readMetricRegistry, readSourceRegistry, recordSource, STATE_SCHEMA } from '../state/state-store.ts';

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
   * Build only the metrics whose cron `schedule` has come due since they were last built (or found up to date);
   * the others are `skipped` with reason `not due (next …)`. A metric never built is due.
   */
  due?: boolean;
  /** The time to judge `due` by. Default: now. */
  now?: Date;
}

/** Options of `engine.clean()`. */
export interface CleanOptions {
  /** Also drop source tables and duckmetrics' state. */
  all?: boolean;
}

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
   * whose fingerprint did not change since it was loaded; `force` reloads everything.
   */
  load(options?: { force?: boolean }): Promise<LoadResult>;
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
   * Runs the data checks of the selected metrics against their current tables (`duckmetrics test`).
   *
   * @example
   * ```ts
   * const { ok, checks } = await engine.test({ select: ['tag:finance'] });
   * for (const c of checks.filter((c) => c.status !== 'pass')) console.log(c.metric, c.check, c.failingRows);
   * ```
   */
  test(options?: Selection & { sample?: number }): Promise<TestResult>;
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
  /** Drops metric tables (with `all`, sources and state too), then runs the plugins' `clean` hooks. */
  clean(options?: CleanOptions): Promise<CleanResult>;
  /**
   * Reads rows from the project database (for small results: rows come into JS). Values are plain (see `Database.all`).
   *
   * @example
   * ```ts
   * const top = await engine.query('SELECT * FROM customer_lifetime_value ORDER BY lifetime_value DESC LIMIT 5');
   * ```
   */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Closes the database. */
  close(): Promise<void>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof EngineEvents>(event: K, handler: (payload: EngineEvents[K]) => void): () => void;
}

const silent: Logger = { debug() {}, info() {}, warn() {} };

/**
 * Creates an engine for a project. Nothing is read or opened until the first call.
 *
 * @example
 * ```ts
 * const engine = createEngine({ cwd: process.cwd(), config: { database: ':memory:' } });
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const emitter = mitt<EngineEvents>();
  const logger: Logger = { ...silent, ...options.logger };
  let configPromise: Promise<ResolvedConfig> | undefined;
  let dbPromise: Promise<DuckDatabase> | undefined;

  const getConfig = (): Promise<ResolvedConfig> => {
    configPromise ??= loadConfig({
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
      ...(options.config === undefined ? {} : { overrides: options.config }),
    });
    return configPromise;
  };

  let driver: PluginDriver | undefined;
  const getDriver = async (): Promise<PluginDriver> => (driver ??= createPluginDriver((await getConfig()).plugins));

  const engineSignal = options.signal ?? new AbortController().signal;
  const getDb = (): Promise<DuckDatabase> => {
    dbPromise ??= (async () => {
      const config = await getConfig();
      const waitForLockMs = options.waitForLockMs ?? 0;
      const db = await openDuckDatabase(config.database, {
        waitForLockMs,
        signal: engineSignal,
        onWait: (locked) => logger.warn(`${locked.message}; retrying for up to ${Math.ceil(waitForLockMs / 1000)} s`),
      });
      const onAbort = (): void => db.interrupt();
      engineSignal.addEventListener('abort', onAbort, { once: true });
      try {
        await ensureStateSchema(db);
        await markInterruptedRuns(db);
      } catch (error) {
        db.close();
        throw error;
      }
      return db;
    })();
    dbPromise.catch(() => {
      dbPromise = undefined;
    });
    return dbPromise;
  };

  // The sandbox (see docs/security.md): metric SQL only ever runs on a locked-down instance. DuckDB cannot lift
  // the lockdown, so loading sources again after that reopens the database file.
  const sandboxedDb = async (): Promise<DuckDatabase> => {
    const db = await getDb();
    if ((await getConfig()).sandbox && !db.locked) await db.lockDown();
    return db;
  };
  const unlockedDb = async (): Promise<DuckDatabase> => {
    const db = await getDb();
    if (!db.locked) return db;
    if (db.path === ':memory:') {
      throw new DuckmetricsError('SANDBOX', 'cannot load sources into this in-memory database again: metric SQL already ran in it under the sandbox, which DuckDB cannot lift', {
        hint: 'call load() before validate() / run() on an in-memory database, use a database file, or set sandbox: false in the config',
      });
    }
    if (dbPromise) {
      dbPromise = undefined;
      db.close();
    }
    return getDb();
  };

  const context = async (signal: AbortSignal): Promise<HookContext> => ({
    config: await getConfig(),
    db: await getDb(),
    logger,
    emit: (event, payload) => emitter.emit(event, payload),
    signal,
  });

  const emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]): void => emitter.emit(event, payload);
  const validateInternal = async (signal: AbortSignal): Promise<ProjectValidation> => {
    const db = await sandboxedDb();
    return validateProject(await context(signal), await getDriver(), db, emit);
  };

  return {
    config: getConfig,

    async load(loadOptions = {}) {
      const config = await getConfig();
      const db = await unlockedDb();
      const ctx = await context(engineSignal);
      const catalog = await readCatalog(db);
      const previous = new Map<string, { fingerprint: string | null; rows: number | null }>();
      if (!loadOptions.force) {
        for (const [key, source] of await readSourceRegistry(db)) if (catalog.has(key)) previous.set(source.name, source);
      }
      const plugins = await getDriver();
      emitter.emit('load:start', { plugins: plugins.plugins('loadSources').map((p) => p.name) });
      const sources: SourceResult[] = [];
      const errors: Diagnostic[] = [];
      await plugins.hookSequential('loadSources', [ctx, { previous }], async ({ plugin, value, error }) => {
        if (error) {
          errors.push(pluginErrorDiagnostic(error));
          return;
        }
        for (const load of value ?? []) {
          const source: SourceResult = { name: load.name, plugin: plugin.name, status: load.error ? 'failed' : load.unchanged ? 'unchanged' : 'loaded' };
          if (load.path !== undefined) source.file = relativeFile(config.root, load.path);
          if (load.rows !== undefined) source.rows = load.rows;
          if (load.durationMs !== undefined) source.durationMs = load.durationMs;
          if (load.error) {
            const { sqlLine: _l, sqlColumn: _c, sqlOffset: _o, ...rest } = load.error;
            source.error = { ...rest, severity: load.error.severity ?? 'error', plugin: plugin.name };
            if (source.file !== undefined && source.error.file === undefined) source.error.file = source.file;
          } else if (!load.unchanged) {
            await recordSource(db, { name: load.name, plugin: plugin.name, ...(source.file === undefined ? {} : { file: source.file }), ...(load.rows === undefined ? {} : { rows: load.rows }), ...(load.fingerprint === undefined ? {} : { fingerprint: load.fingerprint }) });
          }
          sources.push(source);
          emitter.emit('source:loaded', source);
        }
      });
      const result: LoadResult = { ok: errors.length === 0 && sources.every((s) => s.status !== 'failed'), sources, errors };
      emitter.emit('load:end', result);
      return result;
    },

    async validate(selection = {}) {
      const project = await validateInternal(engineSignal);
      if (!selection.select?.length && !selection.exclude?.length) return project.result;
      const chosen = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, selection);
      const files = new Set([...chosen].map((m) => m.file));
      const metrics = project.result.metrics.filter((m) => files.has(m.file) || !project.order.some((o) => o.file === m.file));
      return { ok: metrics.every((m) => m.status === 'valid'), metrics };
    },

    async run(runOptions = {}) {
      const signal = runOptions.signal ? AbortSignal.any([engineSignal, runOptions.signal]) : engineSignal;
      const db = await sandboxedDb();
      const onAbort = (): void => db.interrupt();
      signal.addEventListener('abort', onAbort);
      try {
        const project = await validateInternal(signal);
        const result = await runProject(await context(signal), await getDriver(), stopBuildsOnAbort(db, signal), project, {
          signal,
          fullRefresh: runOptions.fullRefresh ?? false,
          threads: runOptions.threads ?? (await getConfig()).threads,
          checks: runOptions.checks ?? true,
          due: runOptions.due ?? false,
          now: () => runOptions.now ?? new Date(),
          timezone: (await getConfig()).timezone,
          ...(runOptions.select ? { select: runOptions.select } : {}),
          ...(runOptions.exclude ? { exclude: runOptions.exclude } : {}),
        }, emit);
        emitter.emit('run:end', result);
        return result;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },

    async test(testOptions = {}) {
      const db = await getDb();
      const project = await validateInternal(engineSignal);
      const chosen = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, testOptions);
      const checks: CheckResult[] = [];
      for (const metric of project.order) {
        if (!chosen.has(metric) || metric.checks.length === 0) continue;
        const built = project.catalog.has(metric.name.toLowerCase()) && project.registry.has(metric.name.toLowerCase());
        const outcomes: CheckOutcome[] = built
          ? await runChecks(db, metric.checks, metric.name, { sample: testOptions.sample ?? 5 })
          : metric.checks.map((check) => ({ check, status: 'error', failingRows: 0, message: `${check.name} could not run: table ${metric.name} is not built (run duckmetrics run)` }));
        for (const o of outcomes) {
          const r: CheckResult = {
            metric: metric.name, file: metric.file, check: o.check.name, type: o.check.type, severity: o.check.severity,
            status: o.status, failingRows: o.failingRows, message: o.message, line: o.check.at.line,
          };
          if (o.check.column !== undefined) r.column = o.check.column;
          if (o.sample !== undefined) r.sample = o.sample;
          checks.push(r);
        }
      }
      const result: TestResult = { ok: checks.every((c) => c.severity === 'warn' || c.status === 'pass'), checks };
      emitter.emit('test:end', result);
      return result;
    },

    async catalog(catalogOptions = {}) {
      const project = await validateInternal(engineSignal);
      return buildCatalog(await getDb(), project, await getConfig(), catalogOptions.now ?? new Date());
    },

    async history(historyOptions = {}) {
      return readHistory(await getDb(), historyOptions);
    },

    async clean(cleanOptions = {}) {
      const all = cleanOptions.all ?? false;
      const db = await getDb();
      const config = await getConfig();
      emitter.emit('clean:start', { all });
      const dropped: string[] = [];
      const errors: Diagnostic[] = [];
      const catalog = await readCatalog(db);
      const names = [...(await readMetricRegistry(db)).values()].map((m) => m.name);
      if (all) names.push(...[...(await readSourceRegistry(db)).values()].map((s) => s.name));
      for (const name of names) {
        const entry = catalog.get(name.toLowerCase());
        if (!entry) continue;
        try {
          await db.run(`DROP ${entry.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(entry.name)} CASCADE`);
          dropped.push(entry.name);
        } catch (error) {
          errors.push({ severity: 'error', code: 'CLEAN_FAILED', message: `cannot drop ${entry.name}: ${errorMessage(error)}` });
        }
      }
      await db.run(all ? `DROP SCHEMA IF EXISTS ${STATE_SCHEMA} CASCADE` : `DELETE FROM ${STATE_SCHEMA}.metrics`);
      if (all) await ensureStateSchema(db);
      const ctx = await context(engineSignal);
      for (const error of await (await getDriver()).hookReverse('clean', [ctx, { all }])) errors.push(pluginErrorDiagnostic(error));
      const result: CleanResult = { ok: errors.length === 0, dropped, errors };
      emitter.emit('clean:end', result);
      return result;
    },

    async query<T>(sql: string) {
      return (await getDb()).all<T>(sql);
    },

    async close() {
      const pending = dbPromise;
      dbPromise = undefined;
      if (pending) (await pending.catch(() => undefined))?.close();
    },

    on(event, handler) {
      emitter.on(event, handler);
      return () => emitter.off(event, handler);
    },
  };
}
