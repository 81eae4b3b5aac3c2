// `duckmetrics query "<SELECT …>"`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag, valueFlag } from '../flags/flag.ts';

export interface QueryFlags extends GlobalFlags {
  /** `--limit N`: at most this many rows (checked by `query`). */
  readonly limit: string | undefined;
  /** `--csv`: rows as CSV on stdout. */
  readonly csv: boolean;
  /** `--as-of <time>`: read every snapshotted metric as it was published at that time. */
  readonly asOf: string | undefined;
}

export const queryCommand: CommandSpec<QueryFlags> = {
  usage: 'query <sql>',
  description: 'Run one read-only SELECT against the project database and print the rows',
  flags: {
    limit: valueFlag('--limit <n>', 'At most this many rows', { default: 100 }),
    csv: booleanFlag('--csv', 'Print the rows as CSV'),
    asOf: valueFlag('--as-of <time>', 'Read every snapshotted metric as it was published at this time (e.g. 2026-11-01)'),
  },
};
