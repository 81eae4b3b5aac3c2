// The contract between the engine and plugins: the config (what users write, what hooks see), hook names and
// signatures, the hook context. One file, since a config holds plugins and every hook receives the config.
import type { Database } from '../database/database.ts';
import type { PluginDiagnostic } from '../diagnostics.ts';
import type { EngineEvents } from '../events.ts';
import type { Metric } from '../metrics/metric.ts';

/**
 * Where a plugin's hook runs relative to other plugins: `pre` first, then unordered, then `post`.
 *
 * @example
 * ```ts
 * definePlugin({ name: 'first', loadSources: { order: 'pre', handler: (ctx) => [] } });
 * ```
 */
export type HookOrder = 'pre' | 'post';

/**
 * A hook is a function, or an object with the function as `handler` and an `order` (Rollup's ObjectHook).
 *
 * @example
 * ```ts
 * definePlugin({ name: 'audit', validate: { order: 'post', handler: (metric) => [] } });
 * ```
 */
export type ObjectHook<F> = F | { order?: HookOrder; handler: F };

/**
 * Messages from plugins; the CLI shows them, the API default is silent.
 *
 * @example
 * ```ts
 * createEngine({ logger: { warn: (m) => console.warn(m), info: (m) => console.log(m) } });
 * // in a hook:
 * ctx.logger.warn(`csv: no data folder at ${dir}`);
 * ```
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/**
 * What every hook receives: small and typed.
 *
 * @example
 * ```ts
 * async loadSources(ctx) { await ctx.db.run('CREATE OR REPLACE TABLE x AS SELECT 1'); ctx.logger.info('x loaded'); }
 * ```
 */
export interface HookContext {
  /** The resolved config (absolute paths). */
  config: ResolvedConfig;
  /** The project database. */
  db: Database;
  /** Where to say things. */
  logger: Logger;
  /** Emits an engine event (e.g. `source:loaded`). */
  emit<K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]): void;
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
}

/**
 * One table a source plugin loaded (or failed to load).
 *
 * @example
 * ```ts
 * return [
 *   { name: 'orders', path: '/project/data/orders.parquet', rows: 1200, fingerprint: 'sha256:9f2c…' },
 *   { name: 'events', path: '/project/data/events.ndjson', error: { code: 'JSON_LOAD_FAILED', message: 'Malformed JSON', line: 4 } },
 * ];
 * ```
 */
export interface SourceLoad {
  /** Table name. */
  name: string;
  /** Absolute path of the file it came from. */
  path?: string;
  /** Rows in the table. */
  rows?: number;
  /** Content fingerprint (any string that changes when the data changes). */
  fingerprint?: string;
  /** Set when loading failed; the previous table must then be left as it was. */
  error?: PluginDiagnostic;
  /** Milliseconds spent. */
  durationMs?: number;
  /** True when the plugin left the table as it was because its fingerprint did not change. */
  unchanged?: boolean;
}

/**
 * What `loadSources` learns about the sources already in the database.
 *
 * @example
 * ```ts
 * async loadSources(ctx, { previous }) {
 *   const fingerprint = await hashFile(file);
 *   if (previous.get('orders')?.fingerprint === fingerprint) return [{ name: 'orders', fingerprint, unchanged: true }];
 *   // … load it
 * }
 * ```
 */
export interface LoadSourcesOptions {
  /**
   * Sources loaded before whose tables still exist, by name, with their last fingerprint. A plugin may skip a
   * source whose fingerprint is the same (returning it with `unchanged: true`). Empty on `setup --force`.
   */
  previous: ReadonlyMap<string, { fingerprint: string | null; rows: number | null }>;
  /**
   * Claims a table name before the plugin writes it: resolves to `undefined` when the table may be written, or
   * to why not — a table duckmetrics built for a metric holds the name, the name is reserved (`__duckmetrics_staging_…`), or
   * another source of this load already took it (names compare case-insensitively, so `ORDERS.csv` and
   * `orders.csv` are one table). A plugin returns a refused name as a failed load with that reason, code
   * `SOURCE_NAME_TAKEN`, and leaves the table alone. The engine always passes it; optional for older callers.
   *
   * @example
   * ```ts
   * const taken = options.claim?.('orders', '/project/data/orders.csv');
   * if (taken) return [{ name: 'orders', path, error: { code: 'SOURCE_NAME_TAKEN', message: taken } }];
   * ```
   */
  claim?: (name: string, from?: string) => string | undefined;
}

/**
 * What a `materialize` hook returns when it built the metric; `undefined` leaves it to the next plugin.
 *
 * @example
 * ```ts
 * async materialize(metric, ctx) {
 *   if (metric.materialized !== 'table') return undefined; // leave it to the next plugin, or core
 *   await ctx.db.run(`CREATE OR REPLACE TABLE ${quoteIdent(metric.name)} AS ${metric.sql}`);
 *   const [{ n }] = await ctx.db.all<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(metric.name)}`);
 *   return { rows: n };
 * }
 * ```
 */
export interface MaterializeOutcome {
  /** Rows in the built table. */
  rows: number;
}

/**
 * The hook functions, by name.
 *
 * @example
 * ```ts
 * const validate: PluginHooks['validate'] = (metric) => (metric.tags.length > 0 ? [] : [{ code: 'NO_TAGS', message: 'add at least one tag' }]);
 * ```
 */
export interface PluginHooks {
  /** Load source tables. Runs for every plugin, in order, during `setup` (`engine.load()`). */
  loadSources: (ctx: HookContext, options: LoadSourcesOptions) => Promise<SourceLoad[] | void> | SourceLoad[] | void;
  /** Check one metric. Runs for every plugin; all diagnostics are collected. */
  validate: (metric: Metric, ctx: HookContext) => Promise<PluginDiagnostic[] | void> | PluginDiagnostic[] | void;
  /** Build one metric. The first plugin that returns an outcome wins; core's own build runs when none does. */
  materialize: (metric: Metric, ctx: HookContext) => Promise<MaterializeOutcome | undefined | void> | MaterializeOutcome | undefined | void;
  /** Remove what the plugin created. Runs for every plugin in reverse order, always; errors are gathered. */
  clean: (ctx: HookContext, options: { all: boolean }) => Promise<void> | void;
}

/**
 * The fixed set of hook names.
 *
 * @example
 * ```ts
 * const implemented = (plugin: Plugin): HookName[] => (Object.keys(HOOK_KINDS) as HookName[]).filter((h) => plugin[h] !== undefined);
 * ```
 */
export type HookName = keyof PluginHooks;

/**
 * A plugin: a plain object with a `name` and any of the hooks.
 *
 * @example
 * ```ts
 * const noSelectStar: Plugin = { name: 'no-select-star', validate: (m) => m.sql.includes('*') ? [{ code: 'STAR', message: 'no SELECT *' }] : [] };
 * ```
 */
export type Plugin = { name: string } & { [K in HookName]?: ObjectHook<PluginHooks[K]> };

/**
 * What a `metrics.config.*` file exports (all optional).
 *
 * @example
 * ```ts
 * export default defineConfig({ database: 'warehouse.duckdb', plugins: [csv({ dir: 'raw' }), validateSql()] });
 * ```
 */
export interface UserConfig {
  /** DuckDB file, relative to the config file's folder, or `:memory:`. Default `metrics.duckdb`. */
  database?: string;
  /** Folder holding metric YAML files. Default `metrics`. */
  metricsDir?: string;
  /** Plugins, in order. Default `[csv(), validateSql()]`. */
  plugins?: Plugin[];
  /**
   * How many independent metrics are built at once, each on its own connection. Default: the number of CPUs,
   * at most 4 (measured faster than one at a time, see docs/benchmarks.md). `1` builds one after the other.
   */
  threads?: number;
  /**
   * Keep metric SQL inside the database (default `true`): once sources are loaded, the connection that validates
   * and builds metrics cannot read or write files, reach the network, install or load extensions, or change
   * settings. `false` turns this off for teams that trust everyone who writes metric SQL (see docs/security.md).
   *
   * @example
   * ```ts
   * export default defineConfig({ sandbox: false }); // metric SQL may read_csv('s3://…') again
   * ```
   */
  sandbox?: boolean;
  /**
   * IANA time zone that metric `schedule`s are read in (`run --due`, `schedule`, next due times). Default `UTC`.
   *
   * @example
   * ```ts
   * export default defineConfig({ timezone: 'America/Sao_Paulo' });
   * ```
   */
  timezone?: string;
  /**
   * Keep the version of each table published before the current one, for `duckmetrics rollback` (default `true`).
   * It costs one copy of each replaced table, on disk and in time (see docs/preview-and-publish.md).
   */
  keepPreviousVersions?: boolean;
}

/**
 * The config after defaults are applied and paths made absolute.
 *
 * @example
 * ```ts
 * const { root, database, metricsDir, plugins } = await engine.config();
 * console.log(database); // '/home/ana/project/metrics.duckdb'
 * ```
 */
export interface ResolvedConfig {
  /** Project root: the config file's folder, or the working directory. */
  root: string;
  /** Absolute path of the config file, when one was found. */
  configFile?: string;
  /** Absolute path of the DuckDB file, or `:memory:`. */
  database: string;
  /** Absolute path of the metrics folder. */
  metricsDir: string;
  plugins: Plugin[];
  threads: number;
  /** Whether metric SQL runs in the sandbox (see `UserConfig.sandbox`). */
  sandbox: boolean;
  /** Time zone of schedules. */
  timezone: string;
  /** Whether run and publish keep each replaced table's previous version (see `UserConfig.keepPreviousVersions`). */
  keepPreviousVersions: boolean;
}
