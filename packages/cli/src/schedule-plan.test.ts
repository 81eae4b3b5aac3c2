// Unit tests of the schedule plan: what `duckmetrics schedule` runs now, and what it waits for.
import { describe, expect, it } from 'vitest';
import type { NextScheduled } from './schedule-plan.ts';
import { planSchedule } from './schedule-plan.ts';

const now = new Date('2026-03-01T06:00:00Z');
const hourly: NextScheduled = (_schedule, from) => new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
const context = { now, attempted: new Map<string, Date>(), timezone: 'UTC', nextScheduled: hourly };
const metric = (name: string, nextDue: string | null): { name: string; schedule: string; nextDue: string | null } => ({ name, schedule: '0 * * * *', nextDue });

describe('planSchedule', () => {
  it('runs what was never built and what came due, in catalog order', () => {
    const plan = planSchedule([metric('b', '2026-03-01T05:00:00Z'), metric('a', null), metric('c', '2026-03-01T07:00:00Z')], context);
    expect(plan).toEqual({ due: ['b', 'a'], next: undefined });
  });

  it('when nothing is due, names the earliest next time and every metric due then', () => {
    const plan = planSchedule([metric('a', '2026-03-01T08:00:00Z'), metric('b', '2026-03-01T07:00:00Z'), metric('c', '2026-03-01T07:00:00Z')], context);
    expect(plan).toEqual({ due: [], next: { at: new Date('2026-03-01T07:00:00Z'), metrics: ['b', 'c'] } });
  });

  it('a metric tried by this process waits for its next slot, even if it still looks due (it failed)', () => {
    const attempted = new Map([['a', new Date('2026-03-01T06:00:00Z')]]);
    const plan = planSchedule([metric('A', null)], { ...context, attempted });
    expect(plan).toEqual({ due: [], next: { at: new Date('2026-03-01T07:00:00Z'), metrics: ['A'] } });
  });

  it('a schedule with no next time after the last try is never due again in this process', () => {
    const attempted = new Map([['a', now]]);
    const never: NextScheduled = () => {
      throw new Error('no next run');
    };
    expect(planSchedule([metric('a', null)], { ...context, attempted, nextScheduled: never })).toEqual({ due: [], next: undefined });
  });
});
