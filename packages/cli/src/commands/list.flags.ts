// `duckmetrics list`: its --help line (it has no flags of its own).
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

export type ListFlags = GlobalFlags;

export const listCommand: CommandSpec<ListFlags> = {
  usage: 'list',
  description: 'List metrics (owner, schedule, tags, last run, rows, age, next due time), then sources',
  flags: {},
};
