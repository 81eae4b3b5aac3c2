// `duckmetrics query "<SELECT …>"` and `duckmetrics query <metric> --measures …`: its --help line and flags.
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
  /** Metric queries: `--measures a,b`, `--by d1,d2`, `--grain month`, `--from`, `--to`, `--where`, `--compare`. */
  readonly measures: string | undefined;
  readonly by: string | undefined;
  readonly grain: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly where: string | undefined;
  readonly compare: string | undefined;
}

export const queryCommand: CommandSpec<QueryFlags> = {
  usage: 'query <sql-or-metric>',
  description: 'Run one read-only SELECT, or ask a metric for its measures by dimensions and time',
  flags: {
    limit: valueFlag('--limit <n>', 'At most this many rows (default 100 for SQL, 1000 for a metric)'),
    csv: booleanFlag('--csv', 'Print the rows as CSV'),
    asOf: valueFlag('--as-of <time>', 'Read every snapshotted metric as it was published at this time (e.g. 2026-11-01)'),
    measures: valueFlag('--measures <names>', 'Metric query: measures to compute, comma-separated (default: all)'),
    by: valueFlag('--by <dimensions>', 'Metric query: dimensions to group by, comma-separated'),
    grain: valueFlag('--grain <grain>', 'Metric query: day, week, month, quarter or year'),
    from: valueFlag('--from <date>', 'Metric query: first date or timestamp (inclusive)'),
    to: valueFlag('--to <date>', 'Metric query: end date or timestamp (exclusive)'),
    where: valueFlag('--where <expression>', 'Metric query: one boolean expression over dimensions and the time column'),
    compare: valueFlag('--compare <period>', 'Metric query: previous_period or previous_year'),
  },
};
