// The plan verb: what a run would rebuild, built into the preview schema, audited and diffed; nothing published changes.
import { randomUUID } from 'node:crypto';
import type { Database } from '../database/database.ts';
import { stopBuildsOnAbort } from '../database/duckdb.ts';
import type { Session } from '../engine/session.ts';
import type { Metric } from '../metrics/metric.ts';
import { buildRequest, planBuild } from '../project/build-plan.ts';
import type { BuildStep } from '../project/build-plan.ts';
import { PREVIEW_SCHEMA } from '../project/namespace.ts';
import type { Selection } from '../project/selection.ts';
import { diffKey } from '../preview/diff-key.ts';
import type { MetricPlan, PlanResult } from '../preview/plan-types.ts';
import { diffTables } from '../preview/table-diff.ts';
import { readLastBuilds } from '../state/builds.ts';
import { dropPreview, recordPlan } from '../state/plans.ts';
import type { PlanFingerprints, PlannedMetric } from '../state/plans.ts';
import { missingSourceFiles, sourceFileChanges } from '../state/source-files.ts';
import { readStateView } from '../state/state-view.ts';
import type { StateView } from '../state/state-view.ts';
import { buildPreview } from './build-preview.ts';
import { runBuildQueue } from './build-queue.ts';
import { runMetricTests } from './unit-tests.ts';
import { startReadingFiles } from '../project/load-project.ts';
import { validateProject } from './validate.ts';

/** Options of `engine.plan()`. */
export interface PlanOptions extends Selection {
  /** Preview every selected metric, even those whose inputs did not change. */
  fullRefresh?: boolean;
  /** Run the data checks on the previews. Default true. */
  checks?: boolean;
  /** Run the unit tests before each preview build. Default true. */
  tests?: boolean;
  /** Rows of each diff's sample. Default 5. */
  sample?: number;
  threads?: number;
  signal?: AbortSignal;
  now?: Date;
}

/**
 * Plans a run and carries it out in `_duckmetrics_preview`: the metrics `planBuild` would rebuild are built there
 * in dependency order, each reading its upstream from the preview when it was rebuilt there and from the published
 * table otherwise; their unit tests and checks run as in a run; each preview is diffed against its published table
 * in DuckDB. The plan is recorded for `publish` only when it finished: a killed plan leaves nothing to publish.
 */
export async function planMetrics(session: Session, options: PlanOptions): Promise<PlanResult> {
  const signal = options.signal ? AbortSignal.any([session.signal, options.signal]) : session.signal;
  const config = await session.config();
  const files = startReadingFiles(config); // while the database opens
  const sandboxed = await session.sandboxedDb();
  const onAbort = (): void => sandboxed.interrupt();
  signal.addEventListener('abort', onAbort);
  try {
    const started = performance.now();
    const request = buildRequest({ ...options, due: false });
    const state = await readStateView(sandboxed);
    const project = await validateProject(session, sandboxed, state, signal, files);
    const fileChanges = await sourceFileChanges(config.root, state.sources);
    const missingSources = missingSourceFiles(fileChanges);
    const plan = planBuild({ project, state, request, now: options.now ?? new Date(), timezone: config.timezone, missingSources });
    const db = stopBuildsOnAbort(sandboxed, signal);
    await dropPreview(db);
    await db.run(`CREATE SCHEMA ${PREVIEW_SCHEMA}`);
    session.emit('plan:start', { metrics: plan.steps.filter((s) => s.action === 'build').map((s) => s.metric.name) });

    const entries = new Map<BuildStep, MetricPlan>();
    const recorded = new Map<BuildStep, PlannedMetric>();
    const warningsOf = (step: BuildStep): MetricPlan['warnings'] => project.entries.get(step.metric.file)!.warnings;
    const entry = (step: BuildStep, fields: Partial<MetricPlan>): MetricPlan => ({
      name: step.metric.name, file: step.metric.file, action: 'skip', reason: step.reason, materialized: step.metric.materialized,
      status: 'skipped', downstream: [], errors: [], warnings: warningsOf(step), ...fields,
    });
    const unitTests = options.tests === false ? {} : { unitTests: (metric: Metric, worker: Database) => runMetricTests(worker, metric, project.parsed.get(metric), config, project.sourceColumns) };
    const context = { checks: options.checks ?? true, signal, ...unitTests };
    const threads = options.threads ?? config.threads;
    // Each worker's connection looks in the preview first: DuckDB resolves the metric SQL's table names there.
    const connect = async (): Promise<Database> => {
      const worker = await db.connect();
      await worker.run(`SET search_path = '${PREVIEW_SCHEMA},main'`);
      return worker;
    };
    await runBuildQueue(plan.steps, { threads, signal, connect, upstream: project.upstream, downstream: project.downstream }, {
      async run(step, worker) {
        if (step.action === 'skip') {
          entries.set(step, entry(step, { status: step.result.status === 'failed' ? 'failed' : 'skipped', errors: step.result.errors }));
          return undefined;
        }
        const result = await buildPreview(step, worker, warningsOf(step), context);
        const key = step.metric.name.toLowerCase();
        const built = result.status === 'success' || result.reason === 'check failed';
        const diff = built && !signal.aborted
          ? await diffTables(worker, { name: step.metric.name, key: diffKey(step.metric), before: state.tables.get(key), after: { type: step.metric.materialized, rows: result.rows ?? null }, ...(options.sample === undefined ? {} : { sample: options.sample }) })
          : undefined;
        const e = entry(step, { action: 'build', status: result.status === 'success' ? 'success' : 'failed', errors: result.errors, warnings: result.warnings, ...(diff ? { diff } : {}), ...(result.durationMs === undefined ? {} : { durationMs: result.durationMs }) });
        entries.set(step, e);
        recorded.set(step, {
          name: step.metric.name, file: step.metric.file, status: result.status === 'success' ? 'ready' : 'failed', reason: result.status === 'success' ? step.reason : result.reason ?? 'failed',
          materialized: step.metric.materialized, rows: result.rows ?? null, definitionHash: step.hashes.definitionHash, inputHash: step.hashes.inputHash, upstream: step.hashes.upstream,
        });
        session.emit('plan:metric', e);
        return result.status === 'failed' ? `upstream failed: ${step.metric.name}` : undefined;
      },
      skip(step, reason) {
        entries.set(step, entry(step, { reason }));
      },
    });

    const metrics = plan.steps.map((s) => entries.get(s)!);
    const built = new Set(metrics.filter((m) => m.action === 'build').map((m) => m.name));
    for (const [step, e] of entries) e.downstream = (project.downstream.get(step.metric) ?? []).map((d) => d.name).filter((n) => built.has(n));
    const planId = randomUUID();
    if (!signal.aborted) {
      const fingerprints = await planFingerprints(db, state);
      await recordPlan(db, { planId, createdAt: new Date().toISOString(), selection: { ...(request.select ? { select: request.select } : {}), ...(request.exclude ? { exclude: request.exclude } : {}), fullRefresh: request.fullRefresh }, fingerprints, metrics: plan.steps.flatMap((s) => recorded.get(s) ?? []) }, new Date());
    }
    const result: PlanResult = {
      ok: !signal.aborted && metrics.every((m) => m.status !== 'failed') && plan.unparsed.length === 0,
      planId,
      metrics,
      publishable: publishableOf(metrics, project.upstream, plan.steps),
      durationMs: Math.round(performance.now() - started),
    };
    session.emit('plan:end', result);
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Previewed metrics that passed and whose previewed upstream all passed: what `publish` would promote. */
function publishableOf(metrics: MetricPlan[], upstream: ReadonlyMap<Metric, readonly Metric[]>, steps: readonly BuildStep[]): string[] {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const ok = new Set<string>();
  for (const step of steps) {
    const m = byName.get(step.metric.name)!;
    if (m.action !== 'build' || m.status !== 'success') continue;
    const ups = (upstream.get(step.metric) ?? []).map((u) => byName.get(u.name)).filter((u) => u?.action === 'build');
    if (ups.every((u) => ok.has(u!.name))) ok.add(m.name);
  }
  return [...ok];
}

/** What the plan read besides metric files: each published table's build time and each source's load. */
export async function planFingerprints(db: Database, state: StateView): Promise<PlanFingerprints> {
  const builds = await readLastBuilds(db);
  const tables: PlanFingerprints['tables'] = {};
  for (const key of state.metrics.keys()) tables[key] = builds.get(key)?.builtAt ?? null;
  const sources: PlanFingerprints['sources'] = {};
  for (const [key, s] of state.sources) sources[key] = `${s.fingerprint ?? ''}|${s.loadedAt ?? ''}`;
  return { tables, sources };
}
