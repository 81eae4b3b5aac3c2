/** Flags every command takes. */
export interface GlobalOptions {
  cwd?: string;
  config?: string;
  json?: boolean;
  debug?: boolean;
  /** `--wait SECONDS`: how long to retry when another process holds the database. */
  wait?: string | number;
}

/** Engine options from the global flags. Throws a usage error for a `--wait` that is not a number of seconds. */
export function engineOptions(options: GlobalOptions): { cwd?: string; configFile?: string; waitForLockMs?: number } {
  const out: { cwd?: string; configFile?: string; waitForLockMs?: number } = {};
  if (options.cwd !== undefined) out.cwd = String(options.cwd);
  if (options.config !== undefined) out.configFile = String(options.config);
  if (options.wait !== undefined) {
    const seconds = Number(options.wait);
    if (typeof options.wait === 'boolean' || !Number.isFinite(seconds) || seconds < 0) {
      throw Object.assign(new Error(`--wait must be a number of seconds, got "${String(options.wait)}"`), { code: 'USAGE', hint: 'e.g. --wait 30 retries for up to 30 seconds while another process holds the database' });
    }
    out.waitForLockMs = Math.round(seconds * 1000);
  }
  return out;
}

/** A repeatable flag's values as a list (cac gives a string for one, an array for several). */
export function listOption(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `--select` / `--exclude` as an engine selection. */
export function selectionOptions(options: Record<string, unknown>): { select?: string[]; exclude?: string[] } {
  const select = listOption(options.select);
  const exclude = listOption(options.exclude);
  return { ...(select.length ? { select } : {}), ...(exclude.length ? { exclude } : {}) };
}
