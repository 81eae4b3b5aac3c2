// `duckmetrics dev` (and `run --watch`): builds, then watches the project and rebuilds what changed, one cycle at a time.
import type { LoadResult, MetricRunResult, RunResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { runOptions } from '../engine-options.ts';
import type { ErrorFields } from '../error-report.ts';
import { errorFields, errorLines } from '../error-report.ts';
import { EXIT } from '../exit-codes.ts';
import { interruption } from '../interrupt.ts';
import { print } from '../output.ts';
import { attachRunProgress, sourceLine } from '../progress/attach-progress.ts';
import { progressList } from '../progress/progress-list.ts';
import { runReport } from '../progress/run-report.ts';
import type { ProjectChange, ProjectWatcher, WatchTarget } from '../project-watcher.ts';
import { watchProject, watchTargetFor } from '../project-watcher.ts';
import { withEngine } from '../with-engine.ts';
import type { DevFlags } from './dev.flags.ts';
import type { RunFlags } from './run.flags.ts';

/** Quiet time after the last change of a burst (an editor's save, a copied folder) before rebuilding. */
const DEBOUNCE_MS = 200;

/** One cycle in `dev --json` (one JSON object per line). */
export interface DevCycle {
  event: 'cycle';
  /** Changed files (relative to the project root); empty for the first cycle. */
  changed: ProjectChange[];
  /** Sources loaded again (null: only metric files changed). */
  load: LoadResult | null;
  run: RunResult | null;
  /** A fatal problem of this cycle (broken config, locked database); the watch goes on. */
  error?: ErrorFields;
}

/**
 * `duckmetrics dev` (and `run --watch`): loads sources and runs, then watches data files, metric files and the config.
 * On a change it loads sources again when a data file or the config changed, and runs: skip-unchanged rebuilds
 * exactly the changed metrics and what depends on them. Each cycle uses a fresh engine, so the config is re-read
 * and the database file is not held between cycles (other commands can read it). Stops on SIGINT / SIGTERM.
 */
export default async function dev(flags: DevFlags & Partial<RunFlags>): Promise<number> {
  const json = flags.json;
  const resolveTarget = (): Promise<WatchTarget> => watchTargetFor(flags);
  let target = await resolveTarget();
  let first = true;

  const cycle = async (changed: ProjectChange[]): Promise<void> => {
    const reload = first || changed.some((c) => c.kind !== 'metric');
    const fullRefresh = first && flags.fullRefresh === true;
    first = false;
    const out: DevCycle = { event: 'cycle', changed, load: null, run: null };
    if (!json && changed.length > 0) print(`\n${pc.dim(`[${new Date().toTimeString().slice(0, 8)}]`)} changed: ${changed.map((c) => c.file).join(', ')}`);
    try {
      if (changed.some((c) => c.kind === 'config')) target = await resolveTarget();
      // Another command may hold the database for a moment (`docs --serve` rebuilding): wait for it, as docs does.
      await withEngine({ ...flags, wait: flags.wait ?? '30' }, async (engine) => {
        if (reload) {
          out.load = await engine.load();
          if (!json) for (const s of out.load.sources.filter((x) => x.status !== 'unchanged')) print(sourceLine(s));
        }
        const list = await progressList(flags);
        attachRunProgress(engine, list, worthALine);
        // A watch cycle builds what changed: `--due` (from `run --watch --due`) does not apply to it.
        out.run = await engine.run(runOptions({ ...flags, fullRefresh, due: false })).finally(() => list.stop());
        if (!json) for (const line of runReport(out.run)) print(line);
      });
    } catch (error) {
      out.error = errorFields(error);
      if (!json) for (const line of errorLines(out.error)) print(line);
    }
    if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else if (watcher && !interruption.signal.aborted) print(pc.dim(`watching ${describe(target)} for changes (Ctrl-C to stop)`));
  };

  // Changes that arrive during a cycle are gathered and handled by one more cycle after it.
  let queued: ProjectChange[] | undefined;
  let draining: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (queued && !interruption.signal.aborted) {
      const changes = queued;
      queued = undefined;
      await cycle(changes);
    }
    draining = undefined;
  };
  const enqueue = (changes: ProjectChange[]): void => {
    queued = [...(queued ?? []).filter((q) => !changes.some((c) => c.file === q.file)), ...changes];
    draining ??= drain();
  };

  let watcher: ProjectWatcher | undefined;
  if (!json) print(pc.dim(`loading sources and building ${describe(target)}, then watching it for changes`));
  await cycle([]);
  let watched = '';
  const rewatch = async (): Promise<void> => {
    const key = `${target.root}\0${target.metricsDir}\0${target.database}`;
    if (key === watched || interruption.signal.aborted) return;
    await watcher?.close();
    watched = key;
    watcher = await watchProject(target, DEBOUNCE_MS, (changes) => {
      enqueue(changes);
      if (changes.some((c) => c.kind === 'config')) void draining?.then(rewatch);
    });
  };
  await rewatch();
  if (json) process.stdout.write(`${JSON.stringify({ event: 'watching', root: target.root })}\n`);
  else print(pc.dim(`watching ${describe(target)} for changes (Ctrl-C to stop)`));

  await new Promise<void>((resolve) => {
    if (interruption.signal.aborted) resolve();
    else interruption.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await watcher?.close();
  await draining;
  if (!json) print(pc.dim('stopped watching'));
  return EXIT.ok;
}

/** In watch mode, metrics that were up to date or left out are not worth a line (the totals count them). */
function worthALine(m: MetricRunResult): boolean {
  return !(m.status === 'skipped' && (m.reason === 'up to date' || m.reason === 'not selected'));
}

function describe(target: WatchTarget): string {
  return target.root === process.cwd() ? 'this project' : target.root;
}
