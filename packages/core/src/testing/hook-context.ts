// A hook context and metrics for calling one plugin's hooks in a test, through the plugin driver.
import os from 'node:os';
import path from 'node:path';
import type { ResolvedConfig } from '../plugins/plugin.ts';
import type { Database } from '../database/database.ts';
import type { EngineEvents } from '../events.ts';
import type { Metric } from '../metrics/metric.ts';
import type { HookContext, HookName, Plugin, PluginHooks } from '../plugins/plugin.ts';
import { loadCore } from './_core.ts';

/**
 * Options of `hookContext`.
 *
 * @example
 * ```ts
 * const ctx = await hookContext({ root: project.dir, signal: AbortSignal.abort() });
 * ```
 */
export interface HookContextOptions {
  /** Project root; `config.metricsDir` is `<root>/metrics`. Default `process.cwd()`. */
  root?: string;
  /** The database hooks see. Default: a fresh in-memory DuckDB, closed by `close()`. */
  db?: Database;
  /** Fields of the resolved config to override. */
  config?: Partial<ResolvedConfig>;
  /** Signal handed to hooks, e.g. `AbortSignal.abort()` to test cancellation. */
  signal?: AbortSignal;
}

/**
 * A `HookContext` for calling one plugin's hooks directly, without an engine, that records what the hook said
 * and emitted.
 *
 * @example
 * ```ts
 * const ctx = await hookContext({ root: project.dir });
 * const loads = await invokeHook(parquetJson(), 'loadSources', ctx);
 * expect(ctx.messages).toEqual([]);
 * await ctx.close();
 * ```
 */
export interface TestHookContext extends HookContext {
  /** Everything logged, in order, e.g. `{ level: 'warn', message: 'no data folder' }`. */
  messages: Array<{ level: 'debug' | 'info' | 'warn'; message: string }>;
  /** Every event emitted through `ctx.emit`, in order. */
  events: Array<{ [K in keyof EngineEvents]: { event: K; payload: EngineEvents[K] } }[keyof EngineEvents]>;
  /** Closes the database when `hookContext` opened it. */
  close(): Promise<void>;
}

/**
 * Creates a hook context: the config resolved by core for a project at `root` (its config file, if any, with
 * `database: ':memory:'` and no plugins), a real in-memory DuckDB (or your `db`), a logger and `emit` that
 * record, and a signal.
 *
 * @example
 * ```ts
 * const ctx = await hookContext({ db: { run: async () => {}, all: async () => [], countStatements: async () => 1 } });
 * ```
 */
export async function hookContext(options: HookContextOptions = {}): Promise<TestHookContext> {
  const root = path.resolve(options.root ?? process.cwd());
  const { loadConfig } = await loadCore();
  // Core's own defaults (whatever fields ResolvedConfig grows), for a project at `root` without plugins.
  const resolved = await loadConfig({ cwd: root, overrides: { database: ':memory:', plugins: [] } });
  const owned = options.db === undefined ? await memoryDatabase() : undefined;
  const messages: TestHookContext['messages'] = [];
  const events: TestHookContext['events'] = [];
  const log = (level: 'debug' | 'info' | 'warn') => (message: string): void => void messages.push({ level, message });
  return {
    config: { ...resolved, ...options.config },
    db: options.db ?? owned!.db,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn') },
    emit: (event, payload) => void events.push({ event, payload } as TestHookContext['events'][number]),
    signal: options.signal ?? new AbortController().signal,
    messages,
    events,
    async close() {
      await owned?.close();
    },
  };
}

/** A real in-memory DuckDB as hooks see it: the `db` of a hook context of an engine on `:memory:`. */
async function memoryDatabase(): Promise<{ db: Database; close(): Promise<void> }> {
  const { createEngine } = await loadCore();
  let db: Database | undefined;
  const engine = createEngine({
    cwd: os.tmpdir(),
    config: { database: ':memory:', plugins: [{ name: 'testing:capture-db', loadSources: (ctx) => void (db = ctx.db) }] },
  });
  await engine.load();
  return { db: db!, close: () => engine.close() };
}

/**
 * Fields of `testMetric`: `name` and `sql`, and any other `Metric` field to override.
 *
 * @example
 * ```ts
 * const fields: TestMetricFields = { name: 'revenue', sql: 'SELECT 1 AS x', owner: 'finance' };
 * ```
 */
export type TestMetricFields = Pick<Metric, 'name' | 'sql'> & Partial<Metric>;

/**
 * A `Metric` as the engine would hand it to a hook, with defaults for what the test does not care about
 * (file `metrics/<name>.yaml`, owner `tests`, no tags; `sqlLine` 6 as in `metricYaml`).
 *
 * @example
 * ```ts
 * const diagnostics = await invokeHook(sqlStyle(), 'validate', testMetric({ name: 'a', sql: 'SELECT * FROM t' }), ctx);
 * ```
 */
export function testMetric(fields: TestMetricFields): Metric {
  const file = fields.file ?? `metrics/${fields.name}.yaml`;
  return {
    file,
    path: path.resolve(file),
    description: 'test metric',
    owner: 'tests',
    schedule: '0 6 * * *',
    tags: [],
    columns: [],
    materialized: 'table',
    dependsOn: [],
    uniqueKey: [],
    checks: [],
    tests: [],
    sqlLine: 6,
    nameLine: 1,
    ...fields,
  };
}

/**
 * Calls one plugin's hook the way the engine does: `{ order, handler }` hooks are unwrapped, `this` is the
 * plugin, and whatever it throws comes back as a `PluginError` naming the plugin and hook. Resolves to
 * `undefined` when the plugin does not implement the hook.
 *
 * @example
 * ```ts
 * await expect(invokeHook(broken, 'loadSources', ctx)).rejects.toMatchObject({ code: 'PLUGIN_ERROR', hook: 'loadSources' });
 * ```
 */
export async function invokeHook<K extends HookName>(
  plugin: Plugin,
  hook: K,
  ...args: Parameters<PluginHooks[K]>
): Promise<Awaited<ReturnType<PluginHooks[K]>> | undefined> {
  if (plugin[hook] === undefined) return undefined;
  const { createPluginDriver, HOOK_KINDS } = await loadCore();
  const driver = createPluginDriver([plugin]);
  // One plugin: each kind's runner calls it exactly once; the cast picks the runner HOOK_KINDS names for `hook`.
  const run = driver as unknown as Record<'hookSequential' | 'hookFirst' | 'hookReverse', (h: K, a: unknown[]) => Promise<unknown>>;
  switch (HOOK_KINDS[hook]) {
    case 'sequential': {
      const [outcome] = (await run.hookSequential(hook, args)) as Array<{ value?: unknown; error?: Error }>;
      if (outcome?.error) throw outcome.error;
      return outcome?.value as Awaited<ReturnType<PluginHooks[K]>>;
    }
    case 'first':
      return ((await run.hookFirst(hook, args)) as { value: unknown } | undefined)?.value as Awaited<ReturnType<PluginHooks[K]>> | undefined;
    case 'reverse': {
      const [error] = (await run.hookReverse(hook, args)) as Error[];
      if (error) throw error;
      return undefined;
    }
  }
}
