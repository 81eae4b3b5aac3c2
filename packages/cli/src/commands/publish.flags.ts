// `duckmetrics publish`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

export type PublishFlags = GlobalFlags;

export const publishCommand: CommandSpec<PublishFlags> = {
  usage: 'publish',
  description: "Promote the last plan's previews into place, without recomputing them",
  flags: {},
};
