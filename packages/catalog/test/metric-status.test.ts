import { describe, expect, it } from 'vitest';
import { metricStatus } from '../src/index.ts';
import { runOutcome } from '../src/metric-status.ts';
import { metric } from './fixture-catalog.ts';

const run = (status: string, reason: string | null = null) => ({ runId: 'r', status, reason, rows: null, durationMs: null, finishedAt: '2026-01-01T06:00:00.000Z', error: null });

describe('metricStatus', () => {
  it('colours by whether the table can be trusted, and says what the last run did', () => {
    expect(metricStatus(metric('a'))).toEqual({ status: 'success', label: 'built by the last run' });
    expect(metricStatus(metric('a', { lastRun: run('skipped', 'up to date') }))).toEqual({ status: 'success', label: 'up to date' });
    expect(metricStatus(metric('a', { lastRun: run('skipped', 'not selected') }))).toEqual({ status: 'success', label: 'built · last run: not selected' });
    expect(metricStatus(metric('a', { built: false, lastBuild: null, lastRun: run('skipped', 'not selected') }))).toEqual({ status: 'never', label: 'not built yet · last run: not selected' });
    expect(metricStatus(metric('a', { lastRun: run('skipped', 'upstream failed: orders') }))).toEqual({ status: 'skipped', label: 'skipped: upstream failed: orders' });
    expect(metricStatus(metric('a', { lastRun: run('failed') }))).toEqual({ status: 'failed', label: 'failed' });
    expect(metricStatus(metric('a', { lastRun: run('cancelled') }))).toEqual({ status: 'failed', label: 'cancelled' });
    expect(metricStatus(metric('a', { built: false, lastBuild: null, lastRun: null }))).toEqual({ status: 'never', label: 'not run yet' });
    expect(metricStatus(metric('a', { status: 'invalid' }))).toEqual({ status: 'invalid', label: 'invalid' });
  });
});

describe('runOutcome', () => {
  it('calls a skip because nothing changed "up to date", not a green "skipped"', () => {
    expect(runOutcome(run('success'))).toEqual({ text: 'built', className: 'st-success' });
    expect(runOutcome(run('skipped', 'up to date'))).toEqual({ text: 'up to date', className: 'st-current' });
    expect(runOutcome(run('skipped', 'not due'))).toEqual({ text: 'not due', className: 'st-current' });
    expect(runOutcome(run('skipped', 'upstream failed: orders'))).toEqual({ text: 'skipped', className: 'st-skipped' });
    expect(runOutcome(run('failed'))).toEqual({ text: 'failed', className: 'st-failed' });
  });
});
