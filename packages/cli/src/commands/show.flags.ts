// `duckmetrics show <name>`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { valueFlag } from '../flags/flag.ts';

export interface ShowFlags extends GlobalFlags {
  /** `--limit N`: how many rows of the table to show (checked by `show`). */
  readonly limit: string | undefined;
  /** `--as-of <time>`: the rows as they were published at that time (a snapshotted metric). */
  readonly asOf: string | undefined;
}

export const showCommand: CommandSpec<ShowFlags> = {
  usage: 'show <name>',
  description: 'Show one metric (definition, lineage, columns, last runs) or source (file, rows, columns), and its first rows',
  flags: {
    limit: valueFlag('--limit <n>', 'How many rows of the table to show', { default: 10 }),
    asOf: valueFlag('--as-of <time>', 'Show the rows as they were published at this time (a metric with snapshot:)'),
  },
};
