// A run as text: one line per finished metric, then its diagnostics and totals.
import type { MetricRunResult, RunResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { count, duration, formatDiagnostic, mark, pad } from '../output.ts';
import { formatTime } from '../time-format.ts';

/** Width of the name column in metric lines. */
export const NAME_WIDTH = 28;

/** The name column's width for these names: at least `NAME_WIDTH`, and two spaces more than the longest name. */
export function nameWidth(names: readonly string[]): number {
  return Math.max(NAME_WIDTH, ...names.map((n) => n.length + 2));
}

/** A reason with its ISO times as `list` shows times: `not due (next 2026-03-02 06:00 UTC)`. */
export function reasonText(reason: string, timezone: string = 'UTC'): string {
  return reason.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z/g, (iso) => formatTime(iso, timezone));
}

/** `2 rows`, `1 row`, or `view` for a view. */
export function rowsText(rows: number | undefined): string {
  return rows === undefined ? 'view' : `${count(rows)} ${rows === 1 ? 'row' : 'rows'}`;
}

/** One finished metric as a line: `✓ revenue   2 rows   12 ms`, `– top   up to date (1 row)`, `✗ x   failed: invalid`. */
export function metricLine(m: MetricRunResult, width: number = NAME_WIDTH, timezone: string = 'UTC'): string {
  const name = pad(m.name ?? m.file, Math.max(width, (m.name ?? m.file).length + 2));
  if (m.status === 'success') return `${mark('ok')} ${name}${pad(rowsText(m.rows), 16)}${duration(m.durationMs)}`;
  if (m.reason === 'cancelled') return `${mark('skip')} ${name}${pc.yellow('cancelled')}`;
  if (m.reason === 'up to date') return `${mark('skip')} ${name}${pc.dim(`up to date${m.rows === undefined ? '' : ` (${rowsText(m.rows)})`}`)}`;
  if (m.status === 'skipped') return `${mark('skip')} ${name}${pc.dim(`skipped: ${reasonText(m.reason ?? '', timezone)}`)}`;
  return `${mark('fail')} ${name}${pc.red(`failed: ${reasonText(m.reason ?? '', timezone)}`)}`;
}

/** The diagnostics of a run, then its totals: what `run` prints after the metric lines. */
export function runReport(result: RunResult): string[] {
  const lines: string[] = [];
  // A build Ctrl-C interrupted has DuckDB's "Interrupted!" as its error: that is not a problem to show.
  const problems = result.metrics.filter((m) => m.reason !== 'cancelled').flatMap((m) => [...m.errors, ...m.warnings]);
  if (problems.length > 0) lines.push('');
  for (const d of problems) lines.push(formatDiagnostic(d));
  if (result.metrics.length === 0) {
    lines.push(pc.yellow('no metric files found: duckmetrics new <metric_name> writes one from a template'));
    return lines;
  }
  lines.push('', runTotals(result));
  if (result.sourcesChanged?.length) {
    lines.push(pc.yellow(`${result.sourcesChanged.length === 1 ? 'A source file' : 'Source files'} changed since duckmetrics setup loaded ${result.sourcesChanged.length === 1 ? 'it' : 'them'}; this run used the tables as loaded:`));
    for (const c of result.sourcesChanged) lines.push(`  ${c.change === 'missing' ? pc.red('missing') : pc.yellow('changed')}  ${c.file}  (table ${c.name})`);
    lines.push(pc.dim('  run duckmetrics setup to load them (or setup --prune to drop the tables of missing files), then run again'));
  }
  return lines;
}

/** `Done in 1.2 s: 2 built, 0 failed, 1 skipped (1 up to date)`. */
export function runTotals(result: RunResult): string {
  const by = (s: MetricRunResult['status']): number => result.metrics.filter((m) => m.status === s).length;
  const upToDate = result.metrics.filter((m) => m.reason === 'up to date').length;
  const notDue = result.metrics.filter((m) => m.reason?.startsWith('not due')).length;
  const notSelected = result.metrics.filter((m) => m.reason === 'not selected').length;
  // A build that Ctrl-C interrupted did not fail: it is counted as cancelled, apart.
  const cancelled = result.metrics.filter((m) => m.reason === 'cancelled').length;
  const failed = result.metrics.filter((m) => m.status === 'failed' && m.reason !== 'cancelled').length;
  const skipped = result.metrics.filter((m) => m.status === 'skipped' && m.reason !== 'cancelled').length;
  const skippedWhy = [upToDate ? `${upToDate} up to date` : '', notDue ? `${notDue} not due` : '', notSelected ? `${notSelected} not selected` : ''].filter(Boolean).join(', ');
  const verdict = cancelled ? pc.yellow('Cancelled') : failed ? pc.red('Finished with failures') : pc.green('Done');
  return `${verdict} in ${duration(result.durationMs)}: ${by('success')} built, ${failed} failed, ${skipped} skipped${skippedWhy ? ` (${skippedWhy})` : ''}${cancelled ? `, ${cancelled} cancelled` : ''}`;
}
