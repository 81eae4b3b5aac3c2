// `duckmetrics init [dir]`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface InitFlags extends GlobalFlags {
  /** `--force`: overwrite files that already exist. */
  readonly force: boolean;
}

export const initCommand: CommandSpec<InitFlags> = {
  usage: 'init [dir]',
  description: 'Start a project that runs as it stands: config, sample CSV, two metrics, README',
  flags: {
    force: booleanFlag('--force', 'Overwrite files that already exist'),
  },
};
