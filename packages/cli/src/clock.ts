// The CLI's clock: real time, or a fixed start set by DUCKMETRICS_NOW for tests of schedules.
import { DuckmetricsError } from '@duckmetrics/core';

/**
 * The CLI's clock. `DUCKMETRICS_NOW` (an ISO time) is a testing aid: the clock starts at that time and then runs
 * at normal speed, so `run --due`, `list` and `schedule` can be tested against a fixed calendar. Only the CLI reads
 * it; the engine takes times as arguments.
 *
 * @example
 * ```ts
 * const clock = cliClock({ DUCKMETRICS_NOW: '2026-03-01T06:00:00Z' });
 * clock.now(); // 2026-03-01T06:00:00.000Z (plus the milliseconds since)
 * ```
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** True when `DUCKMETRICS_NOW` set the clock. */
  readonly fake: boolean;
}

/** The clock from the environment; throws a usage error for a `DUCKMETRICS_NOW` that is not a time. */
export function cliClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const value = env.DUCKMETRICS_NOW;
  if (value === undefined || value === '') return { now: () => new Date(), fake: false };
  const start = Date.parse(value);
  if (Number.isNaN(start)) {
    throw new DuckmetricsError('USAGE', `DUCKMETRICS_NOW must be an ISO time such as 2026-03-01T06:00:00Z, got "${value}"`);
  }
  const origin = performance.now();
  return { now: () => new Date(start + (performance.now() - origin)), fake: true };
}
