// `duckmetrics list`: every metric as a table row (owner, schedule, tags, its table's rows and build time, what the
// last run that looked at it did, next due time), then
// every source (file, rows, loaded, read by).
import type { CatalogMetric, CatalogSource } from '@duckmetrics/core';
import pc from 'picocolors';
import { cliClock } from '../clock.ts';
import { EXIT } from '../exit-codes.ts';
import { count, plural, print, printJson } from '../output.ts';
import { textTable } from '../text-table.ts';
import { ago, formatTime, until } from '../time-format.ts';
import { withEngine } from '../with-engine.ts';
import type { ListFlags } from './list.flags.ts';

/** One metric in `list --json`. */
export interface ListedMetric {
  name: string;
  file: string;
  description: string;
  owner: string;
  schedule: string;
  tags: string[];
  /** Whether the metric file and its SQL are valid. */
  status: 'valid' | 'invalid';
  /** Whether its table (or view) exists. */
  built: boolean;
  /** The table as it is: rows, when and by which run it was built (null: never built). */
  lastBuild: CatalogMetric['lastBuild'];
  /** What the last run that looked at it did (a run that left it out is not counted). */
  lastRun: CatalogMetric['lastRun'];
  /** ISO time it is next due; null: due now (never built). */
  nextDue: string | null;
}

/** One source in `list --json`. */
export type ListedSource = Omit<CatalogSource, 'columns'> & { columns: number };

/**
 * `duckmetrics list`: every metric with owner, schedule, tags, last run (status, rows, age) and next due time, then
 * every source with its file, rows, load time and the metrics that read it.
 */
export default async function list(flags: ListFlags): Promise<number> {
  const clock = cliClock();
  return withEngine(flags, async (engine) => {
    const now = clock.now();
    const catalog = await engine.catalog({ now });
    const metrics: ListedMetric[] = catalog.metrics.map((m) => ({
      name: m.name, file: m.file, description: m.description, owner: m.owner, schedule: m.schedule, tags: m.tags,
      status: m.status, built: m.built, lastBuild: m.built ? m.lastBuild : null, lastRun: m.lastRun, nextDue: m.nextDue,
    }));
    const sources: ListedSource[] = catalog.sources.map((s) => ({ name: s.name, file: s.file, rows: s.rows, loadedAt: s.loadedAt, columns: s.columns.length, downstream: s.downstream }));
    if (flags.json) {
      printJson({ ok: true, timezone: catalog.project.timezone, metrics, sources });
      return EXIT.ok;
    }
    for (const line of metricLines(metrics, catalog.project.timezone, now)) print(line);
    print();
    for (const line of sourceLines(sources, now)) print(line);
    return EXIT.ok;
  });
}

function metricLines(metrics: ListedMetric[], tz: string, now: Date): string[] {
  if (metrics.length === 0) return [pc.yellow('no metrics yet: duckmetrics new <metric_name> writes one from a template')];
  const rows = metrics.map((m) => [
    m.status === 'invalid' ? `${pc.red('✗')} ${m.name}` : m.name,
    m.owner,
    m.schedule,
    m.tags.join(', '),
    m.lastBuild ? (m.lastBuild.rows === null ? 'view' : count(m.lastBuild.rows)) : pc.dim(m.built ? 'built' : 'not built'),
    m.lastBuild ? ago(m.lastBuild.builtAt, now) : '',
    lastStatus(m),
    m.nextDue === null ? 'now (never built)' : `${formatTime(m.nextDue, tz)} ${pc.dim(`(${until(m.nextDue, now)})`)}`,
  ]);
  const invalid = metrics.filter((m) => m.status === 'invalid').length;
  return [
    ...textTable(['metric', 'owner', 'schedule', 'tags', 'rows', 'built', 'last run', 'next due'], rows),
    pc.dim(`${plural(metrics.length, 'metric')}${invalid ? `, ${invalid} invalid (duckmetrics validate shows why)` : ''}; schedules in ${tz}`),
  ];
}

function sourceLines(sources: ListedSource[], now: Date): string[] {
  if (sources.length === 0) return [pc.yellow('no sources loaded yet: put CSV files in data/, then duckmetrics setup (or build)')];
  const rows = sources.map((s) => [s.name, s.file ?? pc.dim('(plugin)'), s.rows === null ? '' : count(s.rows), String(s.columns), s.loadedAt ? ago(s.loadedAt, now) : '', s.downstream.join(', ')]);
  return [...textTable(['source', 'file', 'rows', 'columns', 'loaded', 'read by'], rows), pc.dim(`${plural(sources.length, 'source')}; duckmetrics show <source> for its columns and types`)];
}


function lastStatus(m: ListedMetric): string {
  const run = m.lastRun;
  if (!run) return pc.dim('never run');
  if (run.status === 'success') return pc.green('built');
  if (run.status === 'failed') return pc.red(`failed${run.reason ? `: ${run.reason}` : ''}`);
  if (run.reason === 'up to date') return 'up to date';
  return pc.dim(run.reason?.startsWith('not due') ? 'not due' : (run.reason ?? run.status));
}
