// Engine options from the flags: which project and database (global flags), which metrics, and how to run them.
import type { RunOptions, Selection } from '@duckmetrics/core';
import { DuckmetricsError } from '@duckmetrics/core';
import type { RunFlags } from './commands/run.flags.ts';
import type { GlobalFlags, SelectionFlags } from './flags/common-flags.ts';

/** Engine options from the global flags. Throws a usage error for a `--wait` that is not a number of seconds. */
export function engineOptions(flags: Pick<GlobalFlags, 'cwd' | 'config' | 'wait'>): { cwd?: string; configFile?: string; waitForLockMs?: number } {
  const out: { cwd?: string; configFile?: string; waitForLockMs?: number } = {};
  if (flags.cwd !== undefined) out.cwd = flags.cwd;
  if (flags.config !== undefined) out.configFile = flags.config;
  if (flags.wait !== undefined) {
    const seconds = Number(flags.wait);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new DuckmetricsError('USAGE', `--wait must be a number of seconds, got "${flags.wait}"`, {
        hint: 'e.g. --wait 30 retries for up to 30 seconds while another process holds the database',
      });
    }
    out.waitForLockMs = Math.round(seconds * 1000);
  }
  return out;
}

/** `--select` / `--exclude` as an engine selection (empty lists are left out). */
export function selectionOptions(flags: Partial<SelectionFlags>): Selection {
  const select = flags.select ?? [];
  const exclude = flags.exclude ?? [];
  return { ...(select.length ? { select } : {}), ...(exclude.length ? { exclude } : {}) };
}

/**
 * The engine's run options from the run flags, for `run`, `dev` and `schedule` (each leaves out the flags it does
 * not take). Throws a usage error for a `--threads` that is not a whole number of at least 1.
 *
 * @example
 * ```ts
 * await engine.run(runOptions({ select: ['+top'], threads: '2' })); // { select: ['+top'], fullRefresh: false, checks: true, threads: 2 }
 * ```
 */
export function runOptions(flags: Partial<Pick<RunFlags, 'select' | 'exclude' | 'fullRefresh' | 'threads' | 'checks' | 'tests' | 'due'>>): RunOptions {
  const threads = flags.threads === undefined ? undefined : Number(flags.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new DuckmetricsError('USAGE', `--threads must be a whole number of at least 1, got "${flags.threads}"`);
  }
  return {
    ...selectionOptions(flags),
    fullRefresh: flags.fullRefresh === true,
    checks: flags.checks !== false,
    ...(flags.tests === false ? { tests: false } : {}),
    ...(threads ? { threads } : {}),
    ...(flags.due === true ? { due: true } : {}),
  };
}
