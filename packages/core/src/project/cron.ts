// Cron schedules (croner): when a metric is due and when it is next due.
import { Cron } from 'croner';

/**
 * When a metric with this cron `schedule` is next due: the first scheduled time after its last successful build
 * (so a metric whose time passed while nothing ran is due now), or `null` for a metric never built (due at once).
 *
 * @example
 * ```ts
 * nextDue('0 6 * * *', new Date('2026-11-26T07:00:00Z'), 'UTC'); // 2026-11-27T06:00:00.000Z
 * ```
 */
export function nextDue(schedule: string, lastBuilt: Date | null, timezone: string): Date | null {
  if (lastBuilt === null) return null;
  return new Cron(schedule.trim(), { paused: true, timezone }).nextRun(lastBuilt);
}

/**
 * True when the metric has come due by `now` since its last successful build (or was never built). A schedule
 * that can never fire (`0 0 31 2 *`) is never due again once built; validation warns about it.
 */
export function isDue(schedule: string, lastBuilt: Date | null, now: Date, timezone: string): boolean {
  if (lastBuilt === null) return true;
  const next = nextDue(schedule, lastBuilt, timezone);
  return next !== null && next.getTime() <= now.getTime();
}

const neverFiresBySchedule = new Map<string, boolean>();

/**
 * True when the cron expression has no time at which it fires (e.g. 31 February). Answered once per distinct
 * expression: projects repeat a few schedules across thousands of metrics, and a search costs ~0.5 ms.
 */
export function neverFires(schedule: string): boolean {
  const key = schedule.trim();
  let answer = neverFiresBySchedule.get(key);
  if (answer === undefined) {
    answer = new Cron(key, { paused: true }).nextRun(new Date(Date.UTC(2000, 0, 1))) === null;
    neverFiresBySchedule.set(key, answer);
  }
  return answer;
}

/** The next scheduled time after `from`, whatever the last build. */
export function nextScheduled(schedule: string, from: Date, timezone: string): Date | null {
  return new Cron(schedule.trim(), { paused: true, timezone }).nextRun(from);
}
