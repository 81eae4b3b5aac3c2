// What is wrong with a schedule that is not a cron expression, said precisely: the field out of range, the missing `@`.
/** The five cron fields, with the values each takes. */
const FIELDS: ReadonlyArray<{ name: string; values: string; min: number; max: number }> = [
  { name: 'minute', values: 'minutes', min: 0, max: 59 },
  { name: 'hour', values: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', values: 'days of the month', min: 1, max: 31 },
  { name: 'month', values: 'months', min: 1, max: 12 },
  { name: 'day-of-week', values: 'days of the week (0 and 7 are Sunday)', min: 0, max: 7 },
];
const NICKNAMES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'midnight'];

/**
 * A precise message for a schedule croner refused, or undefined when there is nothing more precise to say.
 *
 * @example
 * ```ts
 * scheduleAdvice('61 * * * *'); // 'schedule field minute is 61, but minutes go from 0 to 59'
 * scheduleAdvice('daily');      // 'schedule "daily" is not a cron expression; did you mean "@daily"?'
 * ```
 */
export function scheduleAdvice(schedule: string): string | undefined {
  const text = schedule.trim();
  if (NICKNAMES.includes(text.toLowerCase().replace(/^@/, '')) && !text.startsWith('@')) return `schedule "${text}" is not a cron expression; did you mean "@${text.toLowerCase()}"?`;
  if (text.startsWith('@')) return `schedule "${text}" is not a nickname croner knows; use @hourly, @daily, @weekly, @monthly or @yearly`;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    return `schedule "${text}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; a cron expression has 5: minute hour day-of-month month day-of-week (e.g. "0 6 * * *")`;
  }
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i]!;
    for (const token of part.split(/[,/-]/)) {
      if (!/^\d+$/.test(token)) continue;
      const n = Number(token);
      if (n < field.min || n > field.max) {
        return `schedule field ${field.name} is ${n}, but ${field.values} go from ${field.min} to ${field.max}`;
      }
    }
  }
  return undefined;
}
