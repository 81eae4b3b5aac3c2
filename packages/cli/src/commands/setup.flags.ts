// `duckmetrics setup`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, ProgressFlags } from '../flags/common-flags.ts';
import { PROGRESS_FLAGS } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface SetupFlags extends GlobalFlags, ProgressFlags {
  /** `--force`: reload every source, even those whose files did not change. */
  readonly force: boolean;
  /** `--prune`: drop the tables of sources whose files are gone. */
  readonly prune: boolean;
}

export const setupCommand: CommandSpec<SetupFlags> = {
  usage: 'setup',
  description: 'Load source data (CSV files in data/) into the database',
  flags: {
    force: booleanFlag('--force', 'Reload every source, even those whose files did not change'),
    prune: booleanFlag('--prune', 'Drop the tables of sources whose files are gone'),
    ...PROGRESS_FLAGS,
  },
};
