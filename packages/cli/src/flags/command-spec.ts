// What a command is to cac before it runs: its usage, its --help line and its own flags, typed by its flags interface.
import type { GlobalFlags } from './common-flags.ts';
import type { FlagDeclarations } from './flag.ts';

/**
 * A command's declaration, checked against the flags interface its module takes (`F`): every field of `F` besides
 * the global flags has exactly one flag of that type.
 *
 * @example
 * ```ts
 * interface CleanFlags extends GlobalFlags { readonly all: boolean }
 * const cleanCommand: CommandSpec<CleanFlags> = { usage: 'clean', description: 'Drop metric tables', flags: { all: booleanFlag('--all', 'Also sources') } };
 * ```
 */
export interface CommandSpec<F extends GlobalFlags> {
  /** As cac spells it, with its arguments: `show <metric_name>`, `init [dir]`. */
  readonly usage: string;
  /** The command's line in `--help`. */
  readonly description: string;
  /** Its own flags, in the order `--help` lists them. */
  readonly flags: FlagDeclarations<Omit<F, keyof GlobalFlags>>;
}

/** What a command module exports as default: it runs the command and resolves to the exit code. */
export type CommandAction<F extends GlobalFlags> = (flags: F, args: string[]) => Promise<number>;
