/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1` → `1 row`, `2465` → `2,465 rows`. */
export function formatRows(n: number): string {
  return `${formatCount(n)} row${n === 1 ? '' : 's'}`;
}

/** Milliseconds as `45 ms`, `1.2 s` or `3.5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** An ISO time as `2026-11-26 07:00 UTC` in the project's time zone (UTC when the zone is unknown). */
export function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
  } catch {
    return formatTime(iso, 'UTC');
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => format.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** How far `iso` is from `now`: `in 14 min`, `3 h ago`, `in 2 d`. */
export function formatRelative(iso: string, now: string): string {
  const diff = new Date(iso).getTime() - new Date(now).getTime();
  if (Number.isNaN(diff)) return '';
  const abs = Math.abs(diff);
  const text =
    abs < 60_000 ? 'less than a minute' : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
