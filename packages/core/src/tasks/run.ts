import { randomUUID } from 'node:crypto';
import type { Database } from '../database/database.ts';
import type { EngineEvents } from '../events.ts';
import { BUILD_PREFIX_LINES, ChecksFailedError, materializeMetric } from './materialize.ts';
import type { Metric } from '../metrics/metric.ts';
import type { HookContext } from '../plugins/plugin.ts';
import type { PluginDriver } from '../plugins/plugin-driver.ts';
import type { MetricRunResult, RunResult } from '../results.ts';
import type { MetricRunFacts } from '../state/runs.ts';
import { finishRunRecord, readLastCurrent, startRunRecord } from '../state/runs.ts';
import { isDue, nextDue } from '../project/cron.ts';
import type { Selection } from '../project/selection.ts';
import { selectMetrics } from '../project/selection.ts';
import { readSourceRegistry } from '../state/state-store.ts';
import type { DuckDatabase } from '../database/duckdb.ts';
import { CORE_VERSION, definitionHash, inputHash } from '../project/hashing.ts';
import { checkDiagnostic, pluginErrorDiagnostic, sqlErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { ProjectValidation } from './validate.ts';

type Emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => void;

/** What a run is asked to do. */
export interface RunRequest extends Selection {
  fullRefresh: boolean;
  signal: AbortSignal;
  /** Metrics built at once, each on its own connection. */
  threads: number;
  /** Run data checks before publishing (write-audit-publish). */
  checks: boolean;
  /** Build only metrics whose schedule came due since they were last current. */
  due?: boolean;
  /** The clock (tests pass a fixed one). */
  now: () => Date;
  /** Time zone of schedules. */
  timezone: string;
}

/**
 * Builds the selected valid metrics in dependency order. A metric is rebuilt only when its input hash (definition,
 * tool version, upstream fingerprints) differs from its last build; a metric whose upstream failed is skipped.
 * Every run is recorded in `_duckmetrics.runs` and `_duckmetrics.metric_runs`.
 */
export async function runProject(ctx: HookContext, plugins: PluginDriver, db: DuckDatabase, project: ProjectValidation, request: RunRequest, emit: Emit): Promise<RunResult> {
  const started = performance.now();
  const selected = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, request);
  const notDue = new Map<Metric, string>();
  if (request.due) {
    const lastCurrent = await readLastCurrent(db);
    const now = request.now();
    for (const m of selected) {
      if (project.entries.get(m.file)!.status !== 'valid') continue;
      const last = lastCurrent.get(m.name.toLowerCase()) ?? null;
      if (!project.catalog.has(m.name.toLowerCase())) continue;
      if (!isDue(m.schedule, last, now, request.timezone)) notDue.set(m, nextDue(m.schedule, last, request.timezone)!.toISOString());
    }
  }
  const sources = await readSourceRegistry(db);
  const runId = randomUUID();
  await startRunRecord(db, runId, 'run', JSON.stringify({ select: request.select ?? [], exclude: request.exclude ?? [], fullRefresh: request.fullRefresh, due: request.due ?? false }), CORE_VERSION, request.now());

  const results = new Map<Metric, MetricRunResult>();
  const facts = new Map<MetricRunResult, MetricRunFacts>();
  const fingerprint = new Map<string, string>();
  const blockedBy = new Map<Metric, string>();
  const finish = (metric: Metric, result: MetricRunResult, fact?: MetricRunFacts): void => {
    results.set(metric, result);
    if (fact) facts.set(result, fact);
    emit('metric:end', result);
  };

  emit('run:start', { metrics: project.order.filter((m) => selected.has(m) && project.entries.get(m.file)!.status === 'valid').map((m) => m.name) });

  const processMetric = async (metric: Metric, worker: Database): Promise<void> => {
    const entry = project.entries.get(metric.file)!;
    const base = { name: metric.name, file: metric.file, warnings: entry.warnings };
    const stored = project.registry.get(metric.name.toLowerCase());
    if (!selected.has(metric) || notDue.has(metric)) {
      if (stored?.inputHash) fingerprint.set(metric.name.toLowerCase(), stored.inputHash);
      else blockedBy.set(metric, `upstream not built: ${metric.name}`);
      finish(metric, { ...base, status: 'skipped', reason: notDue.has(metric) ? `not due (next ${notDue.get(metric)!})` : 'not selected', errors: [] });
      return;
    }
    const invalidUpstream = (project.upstream.get(metric) ?? []).find((u) => project.entries.get(u.file)!.status === 'invalid');
    if (entry.status === 'invalid' && invalidUpstream && entry.errors.every((e) => e.code === 'UPSTREAM_INVALID')) {
      blockedBy.set(metric, blockedBy.get(invalidUpstream) ?? `upstream failed: ${invalidUpstream.name}`);
      finish(metric, { ...base, status: 'skipped', reason: blockedBy.get(metric)!, errors: [] });
      return;
    }
    if (entry.status === 'invalid') {
      blockedBy.set(metric, `upstream failed: ${metric.name}`);
      finish(metric, { ...base, status: 'failed', reason: 'invalid', errors: entry.errors, ...(entry.errors[0] ? { error: entry.errors[0] } : {}) });
      return;
    }
    const blocker = (project.upstream.get(metric) ?? []).map((u) => blockedBy.get(u)).find((b) => b !== undefined);
    if (blocker !== undefined) {
      blockedBy.set(metric, blocker);
      finish(metric, { ...base, status: 'skipped', reason: blocker, errors: [] });
      return;
    }
    if (request.signal.aborted) {
      blockedBy.set(metric, `upstream failed: ${metric.name}`);
      finish(metric, { ...base, status: 'skipped', reason: 'cancelled', errors: [] });
      return;
    }

    const upstream: Record<string, string> = {};
    for (const name of project.reads.get(metric) ?? []) {
      upstream[name] = fingerprint.get(name) ?? sources.get(name)?.fingerprint ?? 'external';
    }
    const definition = definitionHash(metric, project.parsed.get(metric)?.normalized);
    const input = inputHash(definition, upstream);
    const fact: MetricRunFacts = { definitionHash: definition, inputHash: input, upstream };
    const exists = project.catalog.has(metric.name.toLowerCase());
    // A due metric is rebuilt even when its inputs did not change: its schedule is the reason to refresh it
    // (time-dependent SQL such as current_date, tables no plugin fingerprints).
    if (!request.fullRefresh && !request.due && exists && stored?.inputHash === input) {
      fingerprint.set(metric.name.toLowerCase(), input);
      finish(metric, { ...base, status: 'skipped', reason: 'up to date', errors: [], ...(stored.rows === null ? {} : { rows: stored.rows }) }, fact);
      return;
    }

    emit('metric:start', { name: metric.name, file: metric.file });
    const t0 = performance.now();
    const outcome: MetricRunResult = { ...base, status: 'success', errors: [] };
    try {
      const built = await plugins.hookFirst('materialize', [metric, { ...ctx, db: worker }]);
      let rows: number | null | undefined = built?.value.rows;
      const record = { definitionHash: definition, inputHash: input, toolVersion: CORE_VERSION, upstream };
      if (rows === undefined) {
        const built = await materializeMetric(worker, metric, project.catalog.get(metric.name.toLowerCase()), record, { checks: request.checks });
        rows = built.rows;
        outcome.warnings = [...outcome.warnings, ...built.warnings.map((o) => checkDiagnostic(metric, o))];
      }
      if (rows !== null) outcome.rows = rows;
      fingerprint.set(metric.name.toLowerCase(), input);
    } catch (error) {
      outcome.status = 'failed';
      if (error instanceof ChecksFailedError) {
        outcome.reason = 'check failed';
        outcome.errors = error.failed.map((o) => checkDiagnostic(metric, o));
        outcome.warnings = [...outcome.warnings, ...error.warnings.map((o) => checkDiagnostic(metric, o))];
      } else {
        outcome.reason = request.signal.aborted ? 'cancelled' : 'build failed';
        outcome.errors = [error instanceof Error && error.name === 'PluginError'
          ? pluginErrorDiagnostic(error, metric.file)
          : sqlErrorDiagnostic(metric, error, BUILD_PREFIX_LINES, 'the previous table (if any) was kept')];
      }
      outcome.error = outcome.errors[0]!;
      blockedBy.set(metric, `upstream failed: ${metric.name}`);
    }
    outcome.durationMs = Math.round(performance.now() - t0);
    finish(metric, outcome, fact);
  };

  await schedule(project, Math.max(1, request.threads), processMetric, async () => (request.threads > 1 ? db.connect() : db));

  // Files that did not parse have no metric: they are failed too, after the metrics.
  const unparsed = [...project.entries.values()].filter((e) => !project.order.some((m) => m.file === e.file));
  const ordered = [...project.order.map((m) => results.get(m)!), ...unparsed.map((e): MetricRunResult => ({ name: e.name, file: e.file, status: 'failed', reason: 'invalid', errors: e.errors, warnings: e.warnings, ...(e.errors[0] ? { error: e.errors[0] } : {}) }))];
  for (const r of ordered.slice(project.order.length)) emit('metric:end', r);
  const result: RunResult = { ok: ordered.every((r) => r.status !== 'failed'), metrics: ordered, durationMs: Math.round(performance.now() - started) };
  await finishRunRecord(db, runId, result, request.signal.aborted ? 'cancelled' : result.ok ? 'success' : 'failed', facts, request.now());
  return result;
}

/**
 * Runs `work` on every metric of `project.order`, each only after all its upstream metrics finished, with up to
 * `threads` metrics in flight, each worker on its own connection. Metrics become ready in build order.
 */
async function schedule(
  project: ProjectValidation,
  threads: number,
  work: (metric: Metric, db: Database) => Promise<void>,
  connect: () => Promise<Database>,
): Promise<void> {
  const position = new Map(project.order.map((m, i) => [m, i]));
  const waiting = new Map(project.order.map((m) => [m, (project.upstream.get(m) ?? []).filter((u) => position.has(u)).length]));
  const ready = project.order.filter((m) => waiting.get(m) === 0);
  const started = new Set<Metric>(ready);
  let inFlight = 0;
  let sleepers: Array<() => void> = [];
  const wakeAll = (): void => {
    const s = sleepers;
    sleepers = [];
    for (const wake of s) wake();
  };
  const worker = async (): Promise<void> => {
    const db = await connect();
    for (;;) {
      let metric = ready.shift();
      if (!metric && inFlight === 0) {
        // Nothing runs and nothing is ready: what is left waits on a cycle; hand it over in build order.
        metric = project.order.find((m) => !started.has(m));
        if (metric) started.add(metric);
      }
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
        await work(metric, db);
      } finally {
        inFlight--;
        for (const d of project.downstream.get(metric) ?? []) {
          const left = (waiting.get(d) ?? 1) - 1;
          waiting.set(d, left);
          if (left === 0 && !started.has(d)) {
            started.add(d);
            ready.push(d);
          }
        }
        ready.sort((a, b) => position.get(a)! - position.get(b)!);
        wakeAll();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, Math.max(1, project.order.length)) }, worker));
}
