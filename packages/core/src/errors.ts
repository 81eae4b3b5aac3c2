// Fatal errors as classes with stable codes and hints; the only things the engine throws.
/**
 * Stable codes of the fatal errors the engine throws.
 *
 * @example
 * ```ts
 * try { await engine.load(); } catch (e) { if (e instanceof DuckmetricsError && e.code === 'DATABASE_LOCKED') setTimeout(retry, 5000); }
 * ```
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'DATABASE_LOCKED'
  | 'DATABASE_ERROR'
  | 'METRIC_NOT_FOUND'
  | 'PLUGIN_ERROR'
  | 'QUERY_INVALID'
  | 'SANDBOX'
  | 'SNAPSHOT'
  | 'USAGE';

/**
 * Base class of every error duckmetrics throws on purpose. `code` is stable; `file` and `hint` say where
 * and what to do. Anything else that escapes is a bug.
 *
 * @example
 * ```ts
 * try { await engine.load(); } catch (e) { if (e instanceof DuckmetricsError) console.error(e.code, e.hint); }
 * ```
 */
export class DuckmetricsError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** The file the error is about, when there is one. */
  readonly file?: string;
  /** What to do about it. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: { file?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DuckmetricsError';
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/**
 * A config file that cannot be loaded or has wrong values. The CLI exits 2.
 *
 * @example
 * ```ts
 * try { await engine.config(); } catch (e) { if (e instanceof ConfigError) console.error(`${e.file}: ${e.message}\n${e.hint}`); }
 * ```
 */
export class ConfigError extends DuckmetricsError {
  constructor(message: string, options: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Another process holds the DuckDB file. `pid` (and `program`) is the other process when DuckDB says it.
 *
 * @example
 * ```ts
 * try { await engine.run(); } catch (e) { if (e instanceof DatabaseLockedError) console.error(`held by PID ${e.pid}`); }
 * ```
 */
export class DatabaseLockedError extends DuckmetricsError {
  /** Process id of the holder, when DuckDB reports it. */
  readonly pid?: number;
  /** Executable of the holder (e.g. `/usr/bin/node`), when DuckDB reports it. */
  readonly program?: string;

  constructor(file: string, pid: number | undefined, cause: unknown, program?: string) {
    const details = [program, pid === undefined ? undefined : `PID ${pid}`].filter((p) => p !== undefined).join(', ');
    super('DATABASE_LOCKED', `database ${file} is locked by another process${details ? ` (${details})` : ''}`, {
      file,
      hint: 'wait for the other duckmetrics run to finish, close the program that has the file open, or pass --wait SECONDS to retry',
      cause,
    });
    this.name = 'DatabaseLockedError';
    if (pid !== undefined) this.pid = pid;
    if (program !== undefined) this.program = program;
  }
}

/**
 * A plugin hook threw. Carries the plugin name and hook so a user always learns which plugin failed;
 * the original error is `cause`.
 *
 * @example
 * ```ts
 * try { await engine.load(); } catch (e) { if (e instanceof PluginError) console.error(`${e.plugin}.${e.hook} failed:`, e.cause); }
 * // during load/validate/run/clean the engine reports it as a diagnostic instead: { code: 'PLUGIN_ERROR', plugin, hook }
 * ```
 */
export class PluginError extends DuckmetricsError {
  /** Name of the plugin whose hook threw. */
  readonly plugin: string;
  /** Name of the hook that threw. */
  readonly hook: string;

  constructor(plugin: string, hook: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('PLUGIN_ERROR', `plugin "${plugin}" failed in ${hook}: ${reason}`, { cause });
    this.name = 'PluginError';
    this.plugin = plugin;
    this.hook = hook;
  }
}

/** Message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
