// `duckmetrics schedule`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

/** No flags of its own: a due metric is always rebuilt, so there is no `--full-refresh` to ask for. */
export interface ScheduleFlags extends GlobalFlags {}

export const scheduleCommand: CommandSpec<ScheduleFlags> = {
  usage: 'schedule',
  description: 'Stay running and build each metric when its cron schedule comes due (stop with Ctrl-C / SIGTERM)',
  flags: {},
};
