// `duckmetrics rollback <metric_name>`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

export type RollbackFlags = GlobalFlags;

export const rollbackCommand: CommandSpec<RollbackFlags> = {
  usage: 'rollback <metric_name>',
  description: 'Put back the version of a table published before the current one',
  flags: {},
};
