// `duckmetrics schedule`: stays running and builds each metric when its cron schedule comes due, logging each run.
import type { Catalog, LoadResult, MetricRunResult, RunResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { cliClock } from '../clock.ts';
import { engineOptions, runOptions } from '../engine-options.ts';
import type { ErrorFields } from '../error-report.ts';
import { errorFields } from '../error-report.ts';
import { EXIT } from '../exit-codes.ts';
import { interruption } from '../interrupt.ts';
import { plural, print } from '../output.ts';
import { attachRunProgress, sourceLine } from '../progress/attach-progress.ts';
import { plainList, silentList } from '../progress/progress-list.ts';
import { runTotals } from '../progress/run-report.ts';
import type { ProjectWatcher } from '../project-watcher.ts';
import { watchProject } from '../project-watcher.ts';
import { planSchedule } from '../schedule-plan.ts';
import { formatTime, until } from '../time-format.ts';
import { withEngine } from '../with-engine.ts';
import type { ScheduleFlags } from './schedule.flags.ts';

/** The longest the scheduler sleeps before looking at the plan again (clock changes, daylight saving). */
const MAX_SLEEP_MS = 60 * 60 * 1000;
/** After a fatal error (a locked database, a broken config), how long until it tries again. */
const RETRY_MS = 60 * 1000;

/** A line of `schedule --json` (one JSON object per line). */
export type ScheduleEvent =
  | { event: 'start'; at: string; timezone: string; metrics: number }
  | { event: 'run'; at: string; due: string[]; load: LoadResult; run: RunResult }
  | { event: 'next'; at: string; metrics: string[] }
  | { event: 'due'; at: string; metrics: string[] }
  | { event: 'error'; at: string; error: ErrorFields }
  | { event: 'stop'; at: string; signal: string };

/**
 * `duckmetrics schedule`: stays running and builds each metric when its cron `schedule` comes due (in the config's
 * time zone). It sleeps until the next due time (or until a metric file or the config changes), then loads sources
 * and runs the due metrics, and logs each run. Like `run --due`, a due metric is rebuilt even when its inputs did not
 * change. A metric that failed is tried again at its next scheduled time,
 * not in a loop. SIGINT / SIGTERM interrupt a running build and stop it (exit 130 / 143).
 */
export default async function schedule(flags: ScheduleFlags): Promise<number> {
  const clock = cliClock();
  const json = flags.json;
  const stamp = (): string => `${clock.now().toISOString().slice(0, 19)}Z`;
  const log = (event: ScheduleEvent, line?: string): void => {
    if (json) process.stdout.write(`${JSON.stringify(event)}\n`);
    else if (line !== undefined) print(`${pc.dim(`[${event.at}]`)} ${line}`);
  };
  const { CONFIG_SEARCH_PLACES, loadConfig, nextScheduled } = await import('@duckmetrics/core');

  // Wakes the sleep early: a file changed or a signal came.
  let wake: (() => void) | undefined;
  const onAbort = (): void => wake?.();
  interruption.signal.addEventListener('abort', onAbort, { once: true });
  let watcher: ProjectWatcher | undefined;
  const { cwd, configFile } = engineOptions(flags);
  try {
    const config = await loadConfig({ ...(cwd === undefined ? {} : { cwd }), ...(configFile === undefined ? {} : { configFile }) });
    watcher = await watchProject({ root: config.root, metricsDir: config.metricsDir, database: config.database, configNames: CONFIG_SEARCH_PLACES }, 300, (changes) => {
      if (changes.some((c) => c.kind !== 'data')) wake?.();
    });
  } catch {
    // a broken config is reported by the first plan below; without a watcher the plan is still looked at hourly
  }

  const attempted = new Map<string, Date>();
  let started = false;
  let lastNext = '';
  try {
    while (!interruption.signal.aborted) {
      const now = clock.now();
      let catalog: Catalog;
      try {
        catalog = await withEngine(flags, (engine) => engine.catalog({ now }));
      } catch (error) {
        log({ event: 'error', at: stamp(), error: errorFields(error) }, `${pc.red('error')} ${errorFields(error).message} ${pc.dim(`(trying again in ${RETRY_MS / 1000} s)`)}`);
        await sleep(RETRY_MS);
        continue;
      }
      const tz = catalog.project.timezone;
      if (!started) {
        started = true;
        log({ event: 'start', at: stamp(), timezone: tz, metrics: catalog.metrics.length }, `scheduling ${plural(catalog.metrics.length, 'metric')}, schedules in ${tz} (Ctrl-C or SIGTERM to stop)`);
      }
      const plan = planSchedule(catalog.metrics, { now, attempted, timezone: tz, nextScheduled });
      if (plan.due.length > 0) {
        lastNext = '';
        if (await runDue(plan.due, now)) for (const name of plan.due) attempted.set(name.toLowerCase(), now);
        else await sleep(RETRY_MS);
        continue;
      }
      const next = plan.next;
      if (next) {
        const key = `${next.at.toISOString()} ${next.metrics.join(',')}`;
        if (key !== lastNext) {
          lastNext = key;
          log({ event: 'next', at: stamp(), metrics: next.metrics }, `next: ${next.metrics.join(', ')} at ${formatTime(next.at, tz)} ${pc.dim(`(${until(next.at.toISOString(), clock.now())})`)}`);
        }
      }
      await sleep(next ? Math.min(MAX_SLEEP_MS, next.at.getTime() - clock.now().getTime() + 5) : MAX_SLEEP_MS);
    }
  } finally {
    interruption.signal.removeEventListener('abort', onAbort);
    await watcher?.close();
  }
  log({ event: 'stop', at: stamp(), signal: interruption.received() ?? 'none' }, `stopped (${interruption.received() ?? 'done'})`);
  return EXIT.ok;

  /** Loads sources and runs the due metrics; false when the run could not happen at all (it is tried again soon). */
  async function runDue(due: string[], now: Date): Promise<boolean> {
    log({ event: 'due', at: stamp(), metrics: due }, `running ${plural(due.length, 'due metric')}: ${due.join(', ')}`);
    try {
      await withEngine(flags, async (engine) => {
        const load = await engine.load();
        if (!json) for (const s of load.sources.filter((x) => x.status === 'failed')) print(sourceLine(s));
        attachRunProgress(engine, json ? silentList : plainList, worthALine);
        const run = await engine.run({ ...runOptions({}), select: due, due: true, now });
        const problems = run.metrics.flatMap((m) => m.errors);
        if (!json) for (const d of problems) print(`  ${pc.red('error')} ${d.file ?? ''}${d.line ? `:${d.line}` : ''} ${d.code} ${d.message.split('\n')[0]}`);
        log({ event: 'run', at: stamp(), due, load, run }, runTotals(run));
      });
      return true;
    } catch (error) {
      if (interruption.signal.aborted) return true;
      log({ event: 'error', at: stamp(), error: errorFields(error) }, `${pc.red('error')} ${errorFields(error).message} ${pc.dim(`(trying again in ${RETRY_MS / 1000} s)`)}`);
      return false;
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (interruption.signal.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }
}

/** Metrics left out of a scheduled run (not due) are not worth a line. */
function worthALine(m: MetricRunResult): boolean {
  return !(m.status === 'skipped' && (m.reason === 'not selected' || m.reason?.startsWith('not due') === true));
}
