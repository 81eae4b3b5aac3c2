/** Stable codes of the fatal errors the engine throws. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'DATABASE_LOCKED'
  | 'DATABASE_ERROR'
  | 'PLUGIN_ERROR'
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

/** A config file that cannot be loaded or has wrong values. The CLI exits 2. */
export class ConfigError extends DuckmetricsError {
  constructor(message: string, options: { file?: string; hint?: string; cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

/** Another process holds the DuckDB file. `pid` is the other process when DuckDB says it. */
export class DatabaseLockedError extends DuckmetricsError {
  /** Process id of the holder, when DuckDB reports it. */
  readonly pid?: number;

  constructor(file: string, pid: number | undefined, cause: unknown) {
    const who = pid === undefined ? 'another process' : `another process (PID ${pid})`;
    super('DATABASE_LOCKED', `database ${file} is locked by ${who}`, {
      file,
      hint: 'wait for the other duckmetrics run to finish, close the program that has the file open, or pass --wait SECONDS',
      cause,
    });
    this.name = 'DatabaseLockedError';
    if (pid !== undefined) this.pid = pid;
  }
}

/**
 * A plugin hook threw. Carries the plugin name and hook so a user always learns which plugin failed;
 * the original error is `cause`.
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
