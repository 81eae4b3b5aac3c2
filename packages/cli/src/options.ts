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
