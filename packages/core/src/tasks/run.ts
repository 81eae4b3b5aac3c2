// The run verb: validate, plan, record the start, run the plan on the build queue, record the end.
import { randomUUID } from 'node:crypto';
import { stopBuildsOnAbort } from '../database/duckdb.ts';
import type { Session } from '../engine/session.ts';
import type { RunOptions } from '../engine/options.ts';
import { buildRequest, planBuild } from '../project/build-plan.ts';
import type { BuildHashes, BuildStep } from '../project/build-plan.ts';
import { CORE_VERSION } from '../project/hashing.ts';
import type { MetricRunResult, RunResult } from '../results.ts';
import { ensurePreviousSchema } from '../state/previous-versions.ts';
import { ensureSnapshotSchema } from '../snapshots/snapshot-write.ts';
import { foldBuildJournal, journalIntentsSql } from '../state/builds.ts';
import type { JournalEntry } from '../state/builds.ts';
import { finishRunRecord, startRunRecord } from '../state/runs.ts';
import type { MetricRunFacts } from '../state/runs.ts';
import { missingSourceFiles, sourceFileChanges } from '../state/source-files.ts';
import { readStateView } from '../state/state-view.ts';
import { buildMetric } from './build-metric.ts';
import { runBuildQueue } from './build-queue.ts';
import { startReadingFiles } from '../project/load-project.ts';
import { validateProject } from './validate.ts';
import { startMetricTests } from './unit-tests.ts';
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';

/**
 * Validates, then builds the selected valid metrics in dependency order. A metric is rebuilt only when its input
 * hash differs from its last build; a metric whose upstream failed is skipped. Every run is recorded in
 * `_duckmetrics.runs` and `_duckmetrics.metric_runs`. Never rejects because one metric failed.
 */
export async function runMetrics(session: Session, options: RunOptions): Promise<RunResult> {
  const signal = options.signal ? AbortSignal.any([session.signal, options.signal]) : session.signal;
  const config = await session.config();
  const files = startReadingFiles(config); // while the database opens
  const sandboxed = await session.sandboxedDb();
  const onAbort = (): void => sandboxed.interrupt();
  signal.addEventListener('abort', onAbort);
  let journalOpen = false; // intents are journaled, and builds' records not yet folded into _duckmetrics.metrics
  const journal: JournalEntry[] = [];
  try {
    const now = (): Date => options.now ?? new Date();
    const request = buildRequest(options);
    const state = await readStateView(sandboxed, { lastCurrent: request.due });
    const project = await validateProject(session, sandboxed, state, signal, files);
    const started = performance.now();
    const fileChanges = await sourceFileChanges(config.root, state.sources);
    const missingSources = missingSourceFiles(fileChanges);
    const plan = planBuild({ project, state, request, now: now(), timezone: config.timezone, missingSources });
    const db = stopBuildsOnAbort(sandboxed, signal);
    const runId = randomUUID();
    await startRunRecord(db, runId, 'run', JSON.stringify({ select: request.select ?? [], exclude: request.exclude ?? [], fullRefresh: request.fullRefresh, due: request.due }), CORE_VERSION, now());
    // Before the first build: which metrics this run may change, so a kill at any point leaves them to be rebuilt.
    const building = plan.steps.filter((s) => s.action === 'build').map((s) => s.metric.name);
    if (building.length > 0) await db.run(journalIntentsSql(building));
    journalOpen = true;

    const results = new Map<BuildStep, MetricRunResult>();
    const facts = new Map<MetricRunResult, MetricRunFacts>();
    const finish = (step: BuildStep, result: MetricRunResult, hashes?: BuildHashes): void => {
      results.set(step, result);
      if (hashes) facts.set(result, hashes);
      session.emit('metric:end', result);
    };
    if (config.keepPreviousVersions && plan.steps.some((s) => s.action === 'build' && s.existing)) await ensurePreviousSchema(db);
    if (plan.steps.some((s) => s.action === 'build' && s.metric.snapshot)) await ensureSnapshotSchema(db);
    session.emit('run:start', { metrics: plan.selected });
    const threads = options.threads ?? config.threads;
    const unitTests = options.tests === false ? {} : { unitTests: (metric: Metric, worker: Database) => startMetricTests(worker, metric, project.parsed.get(metric), config, project.sourceColumns) };
    const build = { plugins: await session.plugins(), ctx: await session.context(signal), checks: options.checks ?? true, signal, keepPrevious: config.keepPreviousVersions, snapshotAt: now, journal, ...unitTests };
    const warningsOf = (step: BuildStep): MetricRunResult['warnings'] => project.entries.get(step.metric.file)!.warnings;
    await runBuildQueue(plan.steps, { threads, signal, connect: async () => (threads > 1 ? db.connect() : db), upstream: project.upstream, downstream: project.downstream }, {
      async run(step, worker) {
        if (step.action === 'skip') {
          finish(step, step.result, step.hashes);
          return undefined;
        }
        session.emit('metric:start', { name: step.metric.name, file: step.metric.file });
        const result = await buildMetric(step, worker, warningsOf(step), build);
        finish(step, result, step.hashes);
        return result.status === 'failed' ? `upstream failed: ${step.metric.name}` : undefined;
      },
      skip(step, reason) {
        finish(step, { name: step.metric.name, file: step.metric.file, warnings: warningsOf(step), status: 'skipped', reason, errors: [] });
      },
    });

    // Files that did not parse have no metric: they are failed too, after the metrics.
    const unparsed = plan.unparsed.map((e): MetricRunResult => ({ name: e.name, file: e.file, status: 'failed', reason: 'invalid', errors: e.errors, warnings: e.warnings, ...(e.errors[0] ? { error: e.errors[0] } : {}) }));
    for (const r of unparsed) session.emit('metric:end', r);
    const metrics = [...plan.steps.map((s) => results.get(s)!), ...unparsed];
    const result: RunResult = { ok: metrics.every((r) => r.status !== 'failed'), metrics, durationMs: Math.round(performance.now() - started) };
    // Files edited since setup: run builds from the tables as loaded, and says so (`duckmetrics build` loads first).
    if (fileChanges.length > 0) result.sourcesChanged = fileChanges;
    // The builds' records go into _duckmetrics.metrics before the run is done, in one transaction (bookkeeping, so
    // also after a cancel: not through the guard that stops builds).
    journalOpen = false;
    await foldBuildJournal(sandboxed, journal, true);
    await finishRunRecord(db, runId, result, signal.aborted ? 'cancelled' : result.ok ? 'success' : 'failed', facts, now());
    session.emit('run:end', result);
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A run that threw still records what it built; metrics whose build did not finish are left to be rebuilt.
    if (journalOpen) await foldBuildJournal(sandboxed, journal).catch(() => undefined);
  }
}
