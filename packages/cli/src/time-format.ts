// Times for people: in the schedule's time zone, and how long ago or until.
/** `2026-03-01T06:00:00.000Z` → `2026-03-01 06:00 UTC` (in the given time zone, with its short name). */
export function formatTime(iso: string | Date, timezone = 'UTC'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName ?? timezone}`;
}

/** A span of milliseconds in words: `45 s`, `12 min`, `3 h`, `2 d`. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** How long ago `iso` was, from `now`: `12 min ago`. */
export function ago(iso: string, now: Date): string {
  return `${span(now.getTime() - new Date(iso).getTime())} ago`;
}

/** When `iso` comes, from `now`: `in 3 h`, or `now` when it has passed. */
export function until(iso: string | null, now: Date): string {
  if (iso === null) return 'now';
  const ms = new Date(iso).getTime() - now.getTime();
  return ms <= 0 ? 'now' : `in ${span(ms)}`;
}
