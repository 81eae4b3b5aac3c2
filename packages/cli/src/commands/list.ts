// `duckmetrics list`: every metric as a table row: owner, schedule, tags, last run, rows, age, next due time.
import type { CatalogMetric } from '@duckmetrics/core';
import pc from 'picocolors';
import { cliClock } from '../clock.ts';
import { EXIT } from '../exit-codes.ts';
import { count, print, printJson } from '../output.ts';
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
  lastRun: CatalogMetric['lastRun'];
  /** ISO time it is next due; null: due now (never built). */
  nextDue: string | null;
}

/** `duckmetrics list`: every metric with owner, schedule, tags, last run (status, rows, age) and next due time. */
export default async function list(flags: ListFlags): Promise<number> {
  const clock = cliClock();
  return withEngine(flags, async (engine) => {
    const now = clock.now();
    const catalog = await engine.catalog({ now });
    const metrics: ListedMetric[] = catalog.metrics.map((m) => ({
      name: m.name, file: m.file, description: m.description, owner: m.owner, schedule: m.schedule, tags: m.tags,
      status: m.status, built: m.built, lastRun: m.lastRun, nextDue: m.nextDue,
    }));
    if (flags.json) {
      printJson({ ok: true, timezone: catalog.project.timezone, metrics });
      return EXIT.ok;
    }
    if (metrics.length === 0) {
      print(pc.yellow('no metrics yet: duckmetrics new <metric_name> writes one from a template'));
      return EXIT.ok;
    }
    const tz = catalog.project.timezone;
    const rows = metrics.map((m) => [
      m.status === 'invalid' ? `${pc.red('✗')} ${m.name}` : m.name,
      m.owner,
      m.schedule,
      m.tags.join(', '),
      lastStatus(m),
      m.lastRun?.rows === null || m.lastRun?.rows === undefined ? '' : count(m.lastRun.rows),
      m.lastRun ? ago(m.lastRun.finishedAt, now) : '',
      m.nextDue === null ? 'now (never built)' : `${formatTime(m.nextDue, tz)} ${pc.dim(`(${until(m.nextDue, now)})`)}`,
    ]);
    for (const line of textTable(['metric', 'owner', 'schedule', 'tags', 'last run', 'rows', 'age', 'next due'], rows)) print(line);
    const invalid = metrics.filter((m) => m.status === 'invalid').length;
    print(pc.dim(`\n${metrics.length} metric(s)${invalid ? `, ${invalid} invalid (duckmetrics validate shows why)` : ''}; schedules in ${tz}`));
    return EXIT.ok;
  });
}

function lastStatus(m: ListedMetric): string {
  const run = m.lastRun;
  if (!run) return pc.dim('never run');
  if (run.status === 'success') return pc.green('built');
  if (run.status === 'failed') return pc.red(`failed${run.reason ? `: ${run.reason}` : ''}`);
  return pc.dim(run.reason?.startsWith('not due') ? 'not due' : (run.reason ?? run.status));
}
