/** Flags every command takes. */
export interface GlobalOptions {
  cwd?: string;
  config?: string;
  json?: boolean;
  debug?: boolean;
}

/** Engine options from the global flags. */
export function engineOptions(options: GlobalOptions): { cwd?: string; configFile?: string } {
  const out: { cwd?: string; configFile?: string } = {};
  if (options.cwd !== undefined) out.cwd = String(options.cwd);
  if (options.config !== undefined) out.configFile = String(options.config);
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
