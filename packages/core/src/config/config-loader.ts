// Finding and loading the config file (cosmiconfig, jiti), validating it, resolving paths and defaults.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import type { ResolvedConfig, UserConfig } from '../plugins/plugin.ts';
import { ConfigError, errorMessage } from '../errors.ts';
import type { Plugin } from '../plugins/plugin.ts';

/**
 * Where cosmiconfig looks, in order, in the project folder.
 *
 * @example
 * ```ts
 * CONFIG_SEARCH_PLACES.includes('metrics.config.ts'); // true
 * ```
 */
export const CONFIG_SEARCH_PLACES: readonly string[] = [
  'package.json',
  '.metricsrc',
  '.metricsrc.json',
  '.metricsrc.yaml',
  '.metricsrc.yml',
  '.metricsrc.js',
  '.metricsrc.mjs',
  '.metricsrc.cjs',
  '.metricsrc.ts',
  '.metricsrc.mts',
  'metrics.config.js',
  'metrics.config.mjs',
  'metrics.config.cjs',
  'metrics.config.ts',
  'metrics.config.mts',
  'metrics.config.json',
  'metrics.config.yaml',
  'metrics.config.yml',
];

const pluginShape = v.looseObject({ name: v.string('each plugin needs a name') }, 'each plugin must be an object with a name, e.g. csv()');
const configShape = v.object({
  database: v.optional(v.pipe(v.string('database must be a path string'), v.nonEmpty('database must not be empty'))),
  metricsDir: v.optional(v.pipe(v.string('metricsDir must be a path string'), v.nonEmpty('metricsDir must not be empty'))),
  plugins: v.optional(v.array(pluginShape, 'plugins must be a list, e.g. plugins: [csv(), validateSql()]')),
  threads: v.optional(v.pipe(v.number('threads must be a number'), v.integer('threads must be a whole number'), v.minValue(1, 'threads must be at least 1'), v.maxValue(64, 'threads must be at most 64'))),
  sandbox: v.optional(v.boolean('sandbox must be true or false')),
  timezone: v.optional(v.pipe(v.string('timezone must be a string'), v.check(isTimeZone, 'timezone must be an IANA time zone such as UTC or Europe/Berlin'))),
  keepPreviousVersions: v.optional(v.boolean('keepPreviousVersions must be true or false')),
});

/**
 * Options for finding and resolving the config.
 *
 * @example
 * ```ts
 * await loadConfig({ cwd: 'project', configFile: 'metrics.ci.config.ts', overrides: { database: ':memory:' } });
 * ```
 */
export interface LoadConfigOptions {
  /** Project folder to search. Default `process.cwd()`. */
  cwd?: string;
  /** Explicit config file (skips the search). */
  configFile?: string;
  /** Config given in code; merged over the file's. */
  overrides?: UserConfig;
}

/**
 * Finds the config with cosmiconfig (module name `metrics`), validates it, applies defaults and resolves paths
 * against the config file's folder. Throws `ConfigError` naming the file when it is broken.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ cwd: 'examples/customer-metrics' });
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const found = await findConfig(cwd, options.configFile);
  const root = found ? path.dirname(found.filepath) : cwd;
  const merged: UserConfig = { ...(found?.config ?? {}), ...(options.overrides ?? {}) };
  const checked = v.safeParse(configShape, merged);
  if (!checked.success) {
    const issue = checked.issues[0]!;
    const where = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    throw new ConfigError(`invalid config${where ? ` at "${where}"` : ''}: ${issue.message}`, {
      ...(found ? { file: found.filepath } : {}),
      hint: `the config keys are ${Object.keys(configShape.entries).join(', ')} (docs/config-reference.md in the duckmetrics repository)`,
    });
  }
  const database = merged.database ?? 'metrics.duckdb';
  const resolved: ResolvedConfig = {
    root,
    database: database === ':memory:' ? database : path.resolve(root, database),
    metricsDir: path.resolve(root, merged.metricsDir ?? 'metrics'),
    plugins: merged.plugins ?? (await defaultPlugins()),
    threads: merged.threads ?? Math.min(4, os.availableParallelism()),
    sandbox: merged.sandbox ?? true,
    timezone: merged.timezone ?? 'UTC',
    keepPreviousVersions: merged.keepPreviousVersions ?? true,
  };
  if (found) resolved.configFile = found.filepath;
  return resolved;
}

/**
 * False when no entry of `cwd` is named like a search place (in any case), so there is nothing for cosmiconfig to
 * find and it need not load (its import cost 18-22 ms of every command of a project without a config).
 */
function mayHoldConfig(cwd: string): boolean {
  let names: string[];
  try {
    names = readdirSync(cwd);
  } catch {
    return true;
  }
  const places = new Set(CONFIG_SEARCH_PLACES.map((p) => p.toLowerCase()));
  return names.some((n) => places.has(n.toLowerCase()));
}

async function findConfig(cwd: string, configFile: string | undefined): Promise<{ filepath: string; config: UserConfig } | undefined> {
  if (configFile === undefined && !mayHoldConfig(cwd)) return undefined;
  const { cosmiconfig } = await import('cosmiconfig');
  const load = (filepath: string): Promise<unknown> => importModule(filepath);
  const explorer = cosmiconfig('metrics', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    loaders: { '.js': load, '.mjs': load, '.cjs': load, '.ts': load, '.mts': load },
  });
  const file = configFile ? path.resolve(cwd, configFile) : undefined;
  if (file && !existsSync(file)) {
    throw new ConfigError(`config file not found: ${file}`, { file, hint: 'check the --config path' });
  }
  let result: { filepath: string; config: unknown; isEmpty?: boolean } | null;
  try {
    result = file ? await explorer.load(file) : await explorer.search(cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const filepath = (error as { filepath?: string }).filepath ?? file ?? guessFile(error);
    throw new ConfigError(`cannot load config${filepath ? ` ${filepath}` : ''}: ${errorMessage(error).split('\n')[0]}`, {
      ...(filepath ? { file: filepath } : {}),
      hint: 'fix the syntax of the config file; it must export (or contain) an object such as { database: "metrics.duckdb" }',
      cause: error,
    });
  }
  if (!result) return undefined;
  const config = result.isEmpty ? {} : result.config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`config ${result.filepath} must export an object, found ${Array.isArray(config) ? 'a list' : typeof config}`, {
      file: result.filepath,
      hint: 'export default defineConfig({ ... })',
    });
  }
  return { filepath: result.filepath, config: config as UserConfig };
}

function guessFile(error: unknown): string | undefined {
  const match = /(\/[^\s:'"]+\.(?:[cm]?[jt]s|json|ya?ml))/.exec(errorMessage(error));
  return match?.[1];
}

/** How long a config module may take to evaluate (a top-level await that never settles), in ms. */
const CONFIG_IMPORT_TIMEOUT_MS = Number(process.env.DUCKMETRICS_CONFIG_TIMEOUT_MS) || 10_000;

/**
 * Imports a JS/TS module with jiti; `@duckmetrics/*` resolve to the packages this engine runs with. While it
 * evaluates, `console.log` / `info` / `debug` go to stderr: stdout is the `--json` channel. A module that does not
 * finish evaluating in time is a `CONFIG` error, not a process that exits silently.
 */
async function importModule(filepath: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { alias: selfAliases(), interopDefault: true, moduleCache: false, fsCache: false });
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError(`config ${filepath} did not finish loading within ${Math.round(CONFIG_IMPORT_TIMEOUT_MS / 1000)} s (a top-level await that never settles?)`, {
      file: filepath,
      hint: 'make the config export its object without waiting on something that never finishes (a server, a prompt, a promise never resolved)',
    })), CONFIG_IMPORT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([jiti.import(filepath, { default: true }), timeout]);
  } finally {
    clearTimeout(timer);
    Object.assign(console, saved);
  }
}

/**
 * `@duckmetrics/*` as the config imports them: the packages installed beside this core (the CLI's own copies), found
 * in every `node_modules/@duckmetrics` folder on core's resolution path. A project made by `duckmetrics init` has no
 * node_modules (the packages are not on the registry yet), and one core per process keeps `instanceof` and the
 * plugin hooks' types true even when the project has copies of its own.
 */
function selfAliases(): Record<string, string> {
  const aliases: Record<string, string> = { '@duckmetrics/core': fileURLToPath(import.meta.url) };
  for (const name of installedBeside()) {
    if (name in aliases) continue;
    try {
      aliases[name] = fileURLToPath(import.meta.resolve(name));
    } catch {
      // no entry point this way (e.g. the CLI itself): the config's own resolution applies
    }
  }
  return aliases;
}

function installedBeside(): string[] {
  const names = new Set<string>(['@duckmetrics/plugin-csv', '@duckmetrics/plugin-validate-sql']);
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const scope = path.join(dir, 'node_modules', '@duckmetrics');
    if (existsSync(scope)) for (const entry of readdirSync(scope)) names.add(`@duckmetrics/${entry}`);
    if (path.dirname(dir) === dir) return [...names];
  }
}

async function defaultPlugins(): Promise<Plugin[]> {
  try {
    // Names in variables: core must not depend on the plugins at build time (they depend on core).
    const csvPackage = '@duckmetrics/plugin-csv';
    const validatePackage = '@duckmetrics/plugin-validate-sql';
    const [{ csv }, { validateSql }] = await Promise.all([
      import(csvPackage) as Promise<{ csv: () => Plugin }>,
      import(validatePackage) as Promise<{ validateSql: () => Plugin }>,
    ]);
    return [csv(), validateSql()];
  } catch (error) {
    throw new ConfigError('no plugins configured and the default plugins are not installed', {
      hint: 'npm install @duckmetrics/plugin-csv @duckmetrics/plugin-validate-sql, or set plugins in metrics.config.ts',
      cause: error,
    });
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
