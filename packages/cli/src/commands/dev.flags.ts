// `duckmetrics dev`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, ProgressFlags } from '../flags/common-flags.ts';
import { PROGRESS_FLAGS } from '../flags/common-flags.ts';

export interface DevFlags extends GlobalFlags, ProgressFlags {}

export const devCommand: CommandSpec<DevFlags> = {
  usage: 'dev',
  description: 'Watch metric files, config and data; re-validate and rebuild what changed and what depends on it',
  flags: { ...PROGRESS_FLAGS },
};
