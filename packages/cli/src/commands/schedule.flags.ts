// `duckmetrics schedule`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag } from '../flags/flag.ts';

export interface ScheduleFlags extends GlobalFlags {
  /** `--full-refresh`: kept for scripts; due metrics are rebuilt anyway. */
  readonly fullRefresh: boolean;
}

export const scheduleCommand: CommandSpec<ScheduleFlags> = {
  usage: 'schedule',
  description: 'Stay running and build each metric when its cron schedule comes due (stop with Ctrl-C / SIGTERM)',
  flags: {
    fullRefresh: booleanFlag('--full-refresh', 'Kept for scripts: due metrics are always rebuilt, even when their inputs did not change'),
  },
};
