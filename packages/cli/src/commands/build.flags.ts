// `duckmetrics build`: its --help line and flags (run's, plus setup's --force).
import type { CommandSpec } from '../flags/command-spec.ts';
import { booleanFlag } from '../flags/flag.ts';
import { runCommand } from './run.flags.ts';
import type { RunFlags } from './run.flags.ts';

export interface BuildFlags extends Omit<RunFlags, 'watch'> {
  /** `--force`: reload every source first, even those whose files did not change. */
  readonly force: boolean;
}

const { watch: _watch, ...runFlags } = runCommand.flags;

export const buildCommand: CommandSpec<BuildFlags> = {
  usage: 'build',
  description: 'Load the sources that changed, then validate and build the metrics (setup + run)',
  flags: {
    force: booleanFlag('--force', 'Reload every source, even those whose files did not change'),
    ...runFlags,
  },
};
