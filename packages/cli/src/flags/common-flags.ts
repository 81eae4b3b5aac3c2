// Flags shared by several commands: the global ones every command takes, selection, and progress display.
import type { FlagDeclarations } from './flag.ts';
import { booleanFlag, listFlag, negatedFlag, valueFlag } from './flag.ts';

/** Flags every command takes. */
export interface GlobalFlags {
  /** `--cwd DIR`: the project folder (default: the current folder). */
  readonly cwd: string | undefined;
  /** `--config FILE`: the config file (default: `metrics.config.*` found in the project folder). */
  readonly config: string | undefined;
  /** `--json`: the result as JSON on stdout, nothing else. */
  readonly json: boolean;
  /** `--debug`: stack traces and plugin debug messages. */
  readonly debug: boolean;
  /** `--wait SECONDS`: how long to retry when another process holds the database (checked by `engineOptions`). */
  readonly wait: string | undefined;
}

export const GLOBAL_FLAGS: FlagDeclarations<GlobalFlags> = {
  cwd: valueFlag('--cwd <dir>', 'Project folder (default: current folder)'),
  config: valueFlag('--config <file>', 'Config file (default: metrics.config.* found in the project folder)'),
  json: booleanFlag('--json', 'Print the result as JSON on stdout, nothing else'),
  debug: booleanFlag('--debug', 'Show stack traces and plugin debug messages'),
  wait: valueFlag('--wait <seconds>', 'When another process holds the database, retry for up to this many seconds'),
};

/** `--select` / `--exclude`, repeatable. */
export interface SelectionFlags {
  readonly select: string[];
  readonly exclude: string[];
}

export const SELECTION_FLAGS: FlagDeclarations<SelectionFlags> = {
  select: listFlag('-s, --select <selector>', 'Only these metrics: name, +name, name+, tag:x, path:glob (repeatable)'),
  exclude: listFlag('--exclude <selector>', 'Leave these metrics out (same syntax, repeatable)'),
};

/** `--no-progress`. */
export interface ProgressFlags {
  /** False with `--no-progress`: plain lines instead of a live list, even on a terminal. */
  readonly progress: boolean;
}

export const PROGRESS_FLAGS: FlagDeclarations<ProgressFlags> = {
  progress: negatedFlag('--no-progress', 'Plain lines instead of a live list, even on a terminal'),
};
