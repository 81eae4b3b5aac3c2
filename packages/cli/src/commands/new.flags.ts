// `duckmetrics new <metric_name>`: its --help line (it has no flags of its own).
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

export type NewFlags = GlobalFlags;

export const newCommand: CommandSpec<NewFlags> = {
  usage: 'new <metric_name>',
  description: 'Write metrics/<metric_name>.yaml from a template and print its path',
  flags: {},
};
