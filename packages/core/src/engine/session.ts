// One engine's lifetime: the config, the plugin driver, the database (opened once, sandboxed before metric SQL), close.
import mitt from 'mitt';
import type { Emitter } from 'mitt';
import type { ResolvedConfig } from '../plugins/plugin.ts';
import { loadConfig } from '../config/config-loader.ts';
import type { DuckDatabase } from '../database/duckdb.ts';
import { databaseTarget, openTarget } from '../database/target.ts';
import { DuckmetricsError } from '../errors.ts';
import type { EngineEvents } from '../events.ts';
import type { HookContext, Logger } from '../plugins/plugin.ts';
import { createPluginDriver } from '../plugins/plugin-driver.ts';
import type { PluginDriver } from '../plugins/plugin-driver.ts';
import { markInterruptedRuns } from '../state/runs.ts';
import { ensureStateSchema } from '../state/schema.ts';
import type { EngineOptions } from './options.ts';

/** Emits an engine event. */
export type Emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => void;

/** What every verb works with. Nothing is read or opened until first asked for. */
export interface Session {
  readonly logger: Logger;
  /** Aborted when the engine is cancelled. */
  readonly signal: AbortSignal;
  readonly emitter: Emitter<EngineEvents>;
  readonly emit: Emit;
  config(): Promise<ResolvedConfig>;
  plugins(): Promise<PluginDriver>;
  /** The database as it is (opened on first call, state schema ensured, interrupted runs marked). */
  db(): Promise<DuckDatabase>;
  /** The database under the sandbox, for anything that runs metric SQL. */
  sandboxedDb(): Promise<DuckDatabase>;
  /** The database without the sandbox, for loading sources: reopens the file when metric SQL already ran. */
  unlockedDb(): Promise<DuckDatabase>;
  /** The hook context plugins receive. */
  context(signal?: AbortSignal): Promise<HookContext>;
  /**
   * Whether validation may use the project cache: not when plugins were given in code (`createEngine({ config: {
   * plugins } })`), whose options the cache cannot see.
   */
  readonly projectCache: boolean;
  close(): Promise<void>;
}

const silent: Logger = { debug() {}, info() {}, warn() {} };

/** Creates the session behind `createEngine`. */
export function createSession(options: EngineOptions): Session {
  const emitter = mitt<EngineEvents>();
  const emit: Emit = (event, payload) => emitter.emit(event, payload);
  const logger: Logger = { ...silent, ...options.logger };
  const signal = options.signal ?? new AbortController().signal;
  let configPromise: Promise<ResolvedConfig> | undefined;
  let driver: PluginDriver | undefined;
  let dbPromise: Promise<DuckDatabase> | undefined;

  const config = (): Promise<ResolvedConfig> => {
    configPromise ??= loadConfig({
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
      ...(options.config === undefined ? {} : { overrides: options.config }),
    });
    return configPromise;
  };

  const db = (): Promise<DuckDatabase> => {
    dbPromise ??= (async () => {
      const resolved = await config();
      const waitForLockMs = options.waitForLockMs ?? 0;
      const target = databaseTarget(resolved.database);
      const readOnly = options.readOnly === true && target.kind === 'file';
      const opened = await openTarget(target, {
        ...(readOnly ? { settings: { access_mode: 'READ_ONLY' } } : {}),
        waitForLockMs,
        signal,
        onWait: (locked) => logger.warn(`${locked.message}; retrying for up to ${Math.ceil(waitForLockMs / 1000)} s`),
      });
      signal.addEventListener('abort', () => opened.interrupt(), { once: true });
      try {
        if (!readOnly) {
          await ensureStateSchema(opened);
          await markInterruptedRuns(opened);
        }
      } catch (error) {
        opened.close();
        throw error;
      }
      return opened;
    })();
    dbPromise.catch(() => {
      dbPromise = undefined;
    });
    return dbPromise;
  };

  return {
    logger,
    signal,
    emitter,
    emit,
    config,
    projectCache: options.config?.plugins === undefined,
    plugins: async () => (driver ??= createPluginDriver((await config()).plugins)),
    db,
    // The sandbox (see docs/security.md): metric SQL only ever runs on a locked-down instance. DuckDB cannot lift
    // the lockdown, so loading sources again after that reopens the database file.
    async sandboxedDb() {
      const opened = await db();
      if ((await config()).sandbox && !opened.locked) await opened.lockDown();
      return opened;
    },
    async unlockedDb() {
      const opened = await db();
      if (!opened.locked) return opened;
      if (opened.path === ':memory:') {
        throw new DuckmetricsError('SANDBOX', 'cannot load sources into this in-memory database again: metric SQL already ran in it under the sandbox, which DuckDB cannot lift', {
          hint: 'call load() before validate() / run() on an in-memory database, use a database file, or set sandbox: false in the config',
        });
      }
      if (dbPromise) {
        dbPromise = undefined;
        opened.close();
      }
      return db();
    },
    async context(hookSignal = signal) {
      return { config: await config(), db: await db(), logger, emit, signal: hookSignal };
    },
    async close() {
      const pending = dbPromise;
      dbPromise = undefined;
      if (pending) (await pending.catch(() => undefined))?.close();
    },
  };
}
