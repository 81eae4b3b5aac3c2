// `duckmetrics history [name]`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { valueFlag } from '../flags/flag.ts';

export interface HistoryFlags extends GlobalFlags {
  /** `--limit N`: how many rows (checked by `history`). */
  readonly limit: string | undefined;
}

export const historyCommand: CommandSpec<HistoryFlags> = {
  usage: 'history [name]',
  description: 'Show the last runs, or the last runs of one metric',
  flags: {
    limit: valueFlag('--limit <n>', 'How many rows', { default: 20 }),
  },
};
