// `duckmetrics plan`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, SelectionFlags } from '../flags/common-flags.ts';
import { SELECTION_FLAGS } from '../flags/common-flags.ts';
import { booleanFlag, negatedFlag, valueFlag } from '../flags/flag.ts';

export interface PlanFlags extends GlobalFlags, SelectionFlags {
  /** `--full-refresh`: preview the selected metrics even when nothing changed. */
  readonly fullRefresh: boolean;
  /** False with `--no-checks`. */
  readonly checks: boolean;
  /** False with `--no-tests`. */
  readonly tests: boolean;
  /** `--sample N`: rows shown per diff (checked by `plan`). */
  readonly sample: string | undefined;
}

export const planCommand: CommandSpec<PlanFlags> = {
  usage: 'plan',
  description: 'Build what changed into a preview, audit it and diff every row against what is published',
  flags: {
    ...SELECTION_FLAGS,
    fullRefresh: booleanFlag('--full-refresh', 'Preview the selected metrics even when nothing changed'),
    checks: negatedFlag('--no-checks', 'Preview without running the data checks'),
    tests: negatedFlag('--no-tests', "Preview without running the metrics' unit tests first"),
    sample: valueFlag('--sample <n>', 'Rows that differ shown per metric', { default: 5 }),
  },
};
