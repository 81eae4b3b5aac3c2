// `duckmetrics clean`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface CleanFlags extends GlobalFlags {
  /** `--all`: also drop source tables and duckmetrics state. */
  readonly all: boolean;
  /** `--snapshots`: also drop every version kept in `snapshots`. */
  readonly snapshots: boolean;
  /** `--yes`: do not ask for confirmation. */
  readonly yes: boolean;
}

export const cleanCommand: CommandSpec<CleanFlags> = {
  usage: 'clean',
  description: 'Drop metric tables (sources and snapshots stay)',
  flags: {
    all: booleanFlag('--all', 'Also drop source tables and duckmetrics state'),
    snapshots: booleanFlag('--snapshots', 'Also drop every version kept in snapshots (kept otherwise, even with --all)'),
    yes: booleanFlag('--yes', 'Do not ask for confirmation (needed for --all and --snapshots when not on a terminal)'),
  },
};
