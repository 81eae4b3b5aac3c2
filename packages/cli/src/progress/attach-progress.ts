// Engine events shown on a ProgressList: validation, metrics queued, running and finished; sources as they load.
import type { Engine, MetricRunResult, SourceResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { duration, formatDiagnostic, mark, pad } from '../output.ts';
import type { ProgressList } from './progress-list.ts';
import { metricLine, NAME_WIDTH, nameWidth, rowsText } from './run-report.ts';

/**
 * Shows a run on `list`, from the engine's events: validation, then each metric queued (`run:start`), running
 * (`metric:start`) and finished (`metric:end`). `show` decides which finished metrics get a line (default: all but
 * those not selected and those a Ctrl-C left unbuilt, which the totals count).
 * Returns the function that unsubscribes.
 */
export function attachRunProgress(engine: Engine, list: ProgressList, show: (m: MetricRunResult) => boolean = (m) => m.reason !== 'not selected' && !(m.status === 'skipped' && m.reason === 'cancelled')): () => void {
  // Names are aligned for the longest one of the run; times in reasons are shown in the schedules' zone, as `list` does.
  let width = NAME_WIDTH;
  let timezone = 'UTC';
  engine.config().then((c) => (timezone = c.timezone), () => undefined);
  const off = [
    engine.on('validate:start', ({ files }) => list.status(`validating ${files} metric file${files === 1 ? '' : 's'}`)),
    engine.on('run:start', ({ metrics }) => {
      width = nameWidth(metrics);
      list.queue(metrics);
    }),
    engine.on('metric:start', ({ name }) => list.start(name)),
    engine.on('metric:end', (m) => list.finish(m.name, show(m) ? metricLine(m, width, timezone) : undefined, m.status === 'failed' && m.reason !== 'cancelled')),
  ];
  return () => off.forEach((f) => f());
}

/** Shows `load()` on `list`: one line per source as it is loaded. */
export function attachLoadProgress(engine: Engine, list: ProgressList): () => void {
  const off = [
    engine.on('load:start', () => list.status('loading sources')),
    engine.on('source:loaded', (s) => list.finish(null, sourceLine(s), s.status === 'failed' || s.status === 'missing')),
  ];
  return () => off.forEach((f) => f());
}

/** One source as a line: `✓ orders   3 rows   12 ms   data/orders.csv`. */
export function sourceLine(s: SourceResult, columnWidth: number = NAME_WIDTH): string {
  const width = Math.max(columnWidth, s.name.length + 2);
  if (s.status === 'unchanged') return `${mark('skip')} ${pad(s.name, width)}${pad(rowsText(s.rows), 16)}${pad('unchanged', 12)}${pc.dim(s.file ?? '')}`;
  if (s.status === 'loaded') return `${mark('ok')} ${pad(s.name, width)}${pad(rowsText(s.rows), 16)}${pad(duration(s.durationMs), 12)}${pc.dim(s.file ?? '')}`;
  if (s.status === 'missing') return `${mark('fail')} ${pad(s.name, width)}${pad(pc.yellow('file missing'), 26)}${pc.dim(s.file ?? '')}${s.error ? `\n${formatDiagnostic(s.error)}` : ''}`;
  if (s.status === 'pruned') return `${mark('skip')} ${pad(s.name, width)}${pad('dropped (file gone)', 26)}${pc.dim(s.file ?? '')}`;
  return `${mark('fail')} ${pad(s.name, width)}${pc.red('failed')}${s.file ? pc.dim(`  ${s.file}`) : ''}${s.error ? `\n${formatDiagnostic(s.error)}` : ''}`;
}
