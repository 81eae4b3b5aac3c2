// `duckmetrics test`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, SelectionFlags } from '../flags/common-flags.ts';
import { SELECTION_FLAGS } from '../flags/common-flags.ts';

export interface TestFlags extends GlobalFlags, SelectionFlags {}

export const testCommand: CommandSpec<TestFlags> = {
  usage: 'test',
  description: "Run the metrics' data checks against their current tables",
  flags: { ...SELECTION_FLAGS },
};
