// The build queue (dbt's GraphQueue): runs a plan's steps on N connections, each after its upstream finished,
// turns the downstream of a failure into skips, and stops building once the run is cancelled.
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';
import type { BuildStep } from '../project/build-plan.ts';

/** What the queue hands its steps to. */
export interface BuildQueueHandlers {
  /**
   * Carries out a step the queue lets through: builds a `build` step, reports a `skip`. Resolves to what the
   * downstream of this metric is skipped with (`upstream failed: x`) when it failed, otherwise undefined.
   */
  run(step: BuildStep, db: Database): Promise<string | undefined>;
  /** Reports a step the run's own facts turned into a skip: an upstream failed, or the run was cancelled. */
  skip(step: BuildStep, reason: string): void;
}

/** How the queue runs. */
export interface BuildQueueOptions {
  /** Steps in flight at once, each on its own connection. */
  threads: number;
  signal: AbortSignal;
  /** A connection for one worker. */
  connect(): Promise<Database>;
  /** Metrics each metric reads, and metrics that read it. */
  upstream: ReadonlyMap<Metric, readonly Metric[]>;
  downstream: ReadonlyMap<Metric, readonly Metric[]>;
}

/** A build, or a metric found up to date: both wait on the run's facts (an upstream may fail, the run may stop). */
const dependsOnTheRun = (step: BuildStep): boolean => step.action === 'build' || step.reason === 'up to date';

/**
 * Runs every step, each only after the steps of all its upstream metrics finished, with up to `threads` in
 * flight. Steps become ready in plan order; what is left waiting on a cycle is handed over in plan order.
 */
export async function runBuildQueue(steps: readonly BuildStep[], options: BuildQueueOptions, handlers: BuildQueueHandlers): Promise<void> {
  const stepOf = new Map(steps.map((s) => [s.metric, s]));
  const position = new Map(steps.map((s, i) => [s.metric, i]));
  const waiting = new Map(steps.map((s) => [s.metric, (options.upstream.get(s.metric) ?? []).filter((u) => position.has(u)).length]));
  const ready = steps.filter((s) => waiting.get(s.metric) === 0).map((s) => s.metric);
  const started = new Set<Metric>(ready);
  const blockedBy = new Map<Metric, string>();
  let nextUnstarted = 0;
  let inFlight = 0;
  let sleepers: Array<() => void> = [];
  const wakeAll = (): void => {
    const s = sleepers;
    sleepers = [];
    for (const wake of s) wake();
  };

  const visit = async (step: BuildStep, db: Database): Promise<void> => {
    const metric = step.metric;
    if (!dependsOnTheRun(step)) {
      if (step.action === 'skip' && step.blocks !== undefined) blockedBy.set(metric, step.blocks);
      await handlers.run(step, db);
      return;
    }
    const blocker = (options.upstream.get(metric) ?? []).map((u) => blockedBy.get(u)).find((b) => b !== undefined);
    if (blocker !== undefined) {
      blockedBy.set(metric, blocker);
      handlers.skip(step, blocker);
    } else if (options.signal.aborted) {
      blockedBy.set(metric, `upstream failed: ${metric.name}`);
      handlers.skip(step, 'cancelled');
    } else {
      const failed = await handlers.run(step, db);
      if (failed !== undefined) blockedBy.set(metric, failed);
    }
  };

  const takeUnstarted = (): Metric | undefined => {
    while (nextUnstarted < steps.length && started.has(steps[nextUnstarted]!.metric)) nextUnstarted++;
    const metric = steps[nextUnstarted]?.metric;
    if (metric) started.add(metric);
    return metric;
  };

  const worker = async (): Promise<void> => {
    const db = await options.connect();
    for (;;) {
      // Nothing runs and nothing is ready: what is left waits on a cycle; hand it over in plan order.
      const metric = ready.shift() ?? (inFlight === 0 ? takeUnstarted() : undefined);
      if (!metric) {
        if (inFlight === 0) {
          wakeAll();
          return;
        }
        await new Promise<void>((resolve) => sleepers.push(resolve));
        continue;
      }
      inFlight++;
      try {
        await visit(stepOf.get(metric)!, db);
      } finally {
        inFlight--;
        let added = false;
        for (const d of options.downstream.get(metric) ?? []) {
          const left = (waiting.get(d) ?? 1) - 1;
          waiting.set(d, left);
          if (left === 0 && !started.has(d) && position.has(d)) {
            started.add(d);
            ready.push(d);
            added = true;
          }
        }
        if (added) ready.sort((a, b) => position.get(a)! - position.get(b)!);
        wakeAll();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.threads), Math.max(1, steps.length)) }, worker));
}
