// `duckmetrics test`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, SelectionFlags } from '../flags/common-flags.ts';
import { SELECTION_FLAGS } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface TestFlags extends GlobalFlags, SelectionFlags {
  /** `--unit`: only the unit tests (`tests:` in metric files). */
  readonly unit: boolean;
  /** `--data`: only the data checks against the tables. */
  readonly data: boolean;
}

export const testCommand: CommandSpec<TestFlags> = {
  usage: 'test',
  description: "Run the metrics' unit tests, and their data checks against their current tables",
  flags: {
    ...SELECTION_FLAGS,
    unit: booleanFlag('--unit', 'Only the unit tests (given rows, expected rows), each in its own in-memory database'),
    data: booleanFlag('--data', 'Only the data checks against the built tables'),
  },
};
