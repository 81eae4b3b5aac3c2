// What `duckmetrics schedule` does next, as a value: the metrics due now, or the next time some come due.
import type { CatalogMetric } from '@duckmetrics/core';

/** The time that never comes: a metric with no next scheduled time after its last try. */
const NEVER = 8.64e15;

/** The metrics due now (in catalog order), and when nothing is due, which ones come due next and when. */
export interface SchedulePlan {
  due: string[];
  next: { at: Date; metrics: string[] } | undefined;
}

/** A cron schedule's next time after `from` in time zone `tz` (core's `nextScheduled`), or null. */
export type NextScheduled = (schedule: string, from: Date, timezone: string) => Date | null;

/**
 * When each metric is next due: its schedule after its last good build (`nextDue`, null when never built: due
 * now), but not before its next scheduled time after this process last tried it, so a metric that failed waits
 * for its next slot instead of being tried in a loop.
 *
 * @example
 * ```ts
 * planSchedule(catalog.metrics, { now, attempted, timezone: 'UTC', nextScheduled }); // { due: ['revenue'], next: undefined }
 * ```
 */
export function planSchedule(
  metrics: ReadonlyArray<Pick<CatalogMetric, 'name' | 'schedule' | 'nextDue'>>,
  context: { now: Date; attempted: ReadonlyMap<string, Date>; timezone: string; nextScheduled: NextScheduled },
): SchedulePlan {
  const { now, attempted, timezone, nextScheduled } = context;
  const dueAt = new Map<string, Date>();
  for (const m of metrics) {
    let at = m.nextDue === null ? now : new Date(m.nextDue);
    const tried = attempted.get(m.name.toLowerCase());
    const retry = tried ? safeNext(nextScheduled, m.schedule, tried, timezone) : null;
    if (tried && (retry === null || retry > at)) at = retry ?? new Date(NEVER);
    dueAt.set(m.name, at);
  }
  const due = [...dueAt].filter(([, at]) => at.getTime() <= now.getTime()).map(([name]) => name);
  if (due.length > 0) return { due, next: undefined };
  const upcoming = [...dueAt.values()].filter((at) => at.getTime() < NEVER).sort((a, b) => a.getTime() - b.getTime())[0];
  if (!upcoming) return { due, next: undefined };
  return { due, next: { at: upcoming, metrics: [...dueAt].filter(([, at]) => at.getTime() === upcoming.getTime()).map(([name]) => name) } };
}

function safeNext(next: NextScheduled, schedule: string, from: Date, timezone: string): Date | null {
  try {
    return next(schedule, from, timezone);
  } catch {
    return null;
  }
}
