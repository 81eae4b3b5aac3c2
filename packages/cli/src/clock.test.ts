// Unit tests of the CLI clock (DUCKMETRICS_NOW) and of time formatting.
import { describe, expect, it } from 'vitest';
import { cliClock } from './clock.ts';
import { formatTime, until } from './time-format.ts';

describe('cliClock (DUCKMETRICS_NOW)', () => {
  it('starts at DUCKMETRICS_NOW and runs on; without it, is the real clock; rejects what is not a time', () => {
    const fake = cliClock({ DUCKMETRICS_NOW: '2026-03-01T06:00:00Z' });
    expect(fake.fake).toBe(true);
    const t = fake.now().getTime();
    expect(t).toBeGreaterThanOrEqual(Date.parse('2026-03-01T06:00:00Z'));
    expect(t).toBeLessThan(Date.parse('2026-03-01T07:00:00Z'));
    expect(cliClock({}).fake).toBe(false);
    expect(() => cliClock({ DUCKMETRICS_NOW: 'tomorrow' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('time formatting', () => {
  it('shows times in the schedule time zone and how far away they are', () => {
    expect(formatTime('2026-03-01T06:00:00Z')).toBe('2026-03-01 06:00 UTC');
    expect(formatTime('2026-03-01T06:00:00Z', 'America/Sao_Paulo')).toBe('2026-03-01 03:00 GMT-3');
    const now = new Date('2026-03-01T05:00:00Z');
    expect(until('2026-03-01T08:00:00Z', now)).toBe('in 3 h');
    expect(until('2026-03-01T04:00:00Z', now)).toBe('now');
    expect(until(null, now)).toBe('now');
  });
});
