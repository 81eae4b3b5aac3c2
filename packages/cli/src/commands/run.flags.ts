// `duckmetrics run`: its --help line and flags (`run --watch` hands them on to `dev`).
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, ProgressFlags, SelectionFlags } from '../flags/common-flags.ts';
import { PROGRESS_FLAGS, SELECTION_FLAGS } from '../flags/common-flags.ts';
import { booleanFlag, negatedFlag, valueFlag } from '../flags/flag.ts';

export interface RunFlags extends GlobalFlags, SelectionFlags, ProgressFlags {
  /** `--full-refresh`: rebuild the selected metrics even when nothing changed. */
  readonly fullRefresh: boolean;
  /** `--threads N`: metrics built at once (checked by `runOptions`). */
  readonly threads: string | undefined;
  /** False with `--no-checks`: publish without running the data checks. */
  readonly checks: boolean;
  /** False with `--no-tests`: build without running the unit tests first. */
  readonly tests: boolean;
  /** `--due`: only the metrics whose cron schedule came due. */
  readonly due: boolean;
  /** `--watch`: keep watching and rebuild what changed (`dev`). */
  readonly watch: boolean;
}

export const runCommand: CommandSpec<RunFlags> = {
  usage: 'run',
  description: 'Validate, then build the metrics whose inputs changed, in dependency order',
  flags: {
    ...SELECTION_FLAGS,
    fullRefresh: booleanFlag('--full-refresh', 'Rebuild the selected metrics even when nothing changed'),
    threads: valueFlag('--threads <n>', 'Metrics built at once (default: config threads, else CPUs up to 4)'),
    checks: negatedFlag('--no-checks', 'Publish without running the data checks'),
    tests: negatedFlag('--no-tests', "Build without running the metrics' unit tests first"),
    due: booleanFlag('--due', 'Build only the metrics whose cron schedule came due since their last successful build'),
    watch: booleanFlag('--watch', 'Keep watching and rebuild what changed (same as duckmetrics dev)'),
    ...PROGRESS_FLAGS,
  },
};
