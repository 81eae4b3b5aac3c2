// `duckmetrics clean`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface CleanFlags extends GlobalFlags {
  /** `--all`: also drop source tables and duckmetrics state. */
  readonly all: boolean;
  /** `--yes`: do not ask for confirmation. */
  readonly yes: boolean;
}

export const cleanCommand: CommandSpec<CleanFlags> = {
  usage: 'clean',
  description: 'Drop metric tables (sources stay)',
  flags: {
    all: booleanFlag('--all', 'Also drop source tables and duckmetrics state'),
    yes: booleanFlag('--yes', 'Do not ask for confirmation (needed for --all when not on a terminal)'),
  },
};
