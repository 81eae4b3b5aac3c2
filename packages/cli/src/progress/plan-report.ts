// A plan as text: one line per previewed metric with its diff, the sample below it, its downstream, then totals.
import type { DiffSampleRow, MetricPlan, PlanResult, TableDiff } from '@duckmetrics/core';
import pc from 'picocolors';
import { count, formatDiagnostic, mark, pad } from '../output.ts';

const value = (v: unknown): string => (v instanceof Date ? v.toISOString() : JSON.stringify(v) ?? 'null');
const row = (r: Record<string, unknown> | null): string => (r === null ? '' : Object.entries(r).map(([k, v]) => `${k}=${value(v)}`).join(' '));

/** `10 → 7 rows  −3 removed  status: 1 changed`, or `new: 3 rows`, or `view: schema only`. */
export function diffSummary(diff: TableDiff): string {
  if (diff.rowsAfter === null) return 'view: schema only';
  if (diff.rowsBefore === null) return `new: ${count(diff.rowsAfter)} ${diff.rowsAfter === 1 ? 'row' : 'rows'}`;
  const parts = [`${count(diff.rowsBefore)} → ${count(diff.rowsAfter)} rows`];
  if (diff.added) parts.push(pc.green(`+${count(diff.added)} added`));
  if (diff.removed) parts.push(pc.red(`−${count(diff.removed)} removed`));
  if (diff.key === null) parts.push(pc.dim('(no key: whole rows compared)'));
  else {
    const changed = Object.entries(diff.columns).filter(([, n]) => n > 0);
    parts.push(changed.length > 0 ? changed.map(([c, n]) => `${c}: ${count(n)} changed`).join(', ') : `${count(diff.changed ?? 0)} changed`);
  }
  return parts.join('  ');
}

/** The schema change of a diff as one line, or undefined when the columns are the same. */
function schemaLine(diff: TableDiff): string | undefined {
  if (diff.rowsBefore === null && diff.rowsAfter !== null) return undefined;
  const parts = [...diff.schema.added.map((c) => pc.green(`+${c.name} ${c.type}`)), ...diff.schema.removed.map((c) => pc.red(`−${c.name}`)), ...diff.schema.changed.map((c) => `${c.name} ${c.before} → ${c.after}`)];
  return parts.length > 0 ? `    columns: ${parts.join(', ')}` : undefined;
}

function sampleLine(r: DiffSampleRow): string {
  if (r.before && r.after) {
    const changed = Object.keys(r.after).filter((k) => value(r.after![k]) !== value(r.before![k]));
    return `    ${pc.yellow('~')} ${row(r.key)}  ${changed.map((k) => `${k}: ${value(r.before![k])} → ${value(r.after![k])}`).join(', ')}`;
  }
  return r.after ? `    ${pc.green('+')} ${row(r.after)}` : `    ${pc.red('−')} ${row(r.before)}`;
}

/** The lines of one metric of the plan (nothing for a metric that is up to date or not selected). */
export function metricPlanLines(m: MetricPlan, width: number): string[] {
  if (m.action === 'skip' && m.status !== 'failed') return m.reason.startsWith('upstream') ? [`${mark('skip')} ${pad(m.name, width)}${pc.dim(`skipped: ${m.reason}`)}`] : [];
  const lines: string[] = [];
  const sign = m.status === 'failed' ? pc.red('✗') : m.diff?.rowsBefore === null && m.diff.rowsAfter !== null ? pc.green('+') : pc.yellow('~');
  const failed = m.status === 'failed' ? `  ${pc.red(`failed: ${m.errors[0]?.code === 'CHECK_FAILED' ? 'check failed' : m.errors[0]?.code === 'UNIT_TEST_FAILED' ? 'unit test failed' : 'build failed'}`)}` : '';
  lines.push(`${sign} ${pad(m.name, width)}${m.diff ? diffSummary(m.diff) : ''}${failed}`);
  const schema = m.diff ? schemaLine(m.diff) : undefined;
  if (schema) lines.push(schema);
  for (const r of m.diff?.sample ?? []) lines.push(sampleLine(r));
  if (m.downstream.length > 0) lines.push(pc.dim(`    ↳ rebuilds downstream: ${m.downstream.join(', ')}`));
  return lines;
}

/** The whole plan as text. */
export function planReport(result: PlanResult): string[] {
  const width = Math.min(32, Math.max(12, ...result.metrics.map((m) => m.name.length + 2)));
  const lines = result.metrics.flatMap((m) => metricPlanLines(m, width));
  const problems = result.metrics.flatMap((m) => [...m.errors, ...m.warnings]);
  if (problems.length > 0) lines.push('');
  for (const d of problems) lines.push(formatDiagnostic(d));
  const built = result.metrics.filter((m) => m.action === 'build').length;
  const failed = result.metrics.filter((m) => m.status === 'failed').length;
  const upToDate = result.metrics.filter((m) => m.reason === 'up to date').length;
  lines.push('');
  if (built === 0) lines.push(`${mark('ok')} nothing to rebuild${upToDate ? ` (${upToDate} up to date)` : ''}`);
  else lines.push(`Plan: ${built} previewed, ${result.publishable.length} ready to publish${failed ? pc.red(`, ${failed} failed`) : ''}${upToDate ? pc.dim(`, ${upToDate} up to date`) : ''}. ${result.publishable.length ? 'duckmetrics publish promotes them.' : ''}`.trimEnd());
  return lines;
}
