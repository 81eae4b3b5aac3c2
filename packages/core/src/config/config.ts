// The config types: what users write (`UserConfig`) and what the engine works with (`ResolvedConfig`).
import type { Plugin } from '../plugins/plugin.ts';

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
}
