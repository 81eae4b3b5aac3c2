// The build plan: a pure function from the validated project, the state, the request and the clock to one step per
// metric in build order, each `build` (with its hashes) or `skip` (with its reason). Nothing is read or written here.
import type { TableEntry } from '../database/introspection.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { MetricRunResult, MetricValidation } from '../results.ts';
import type { StateView } from '../state/state-view.ts';
import { isDue, nextDue } from './cron.ts';
import { definitionHash, inputHash } from './hashing.ts';
import type { Project } from './load-project.ts';
import { selectMetrics } from './selection.ts';
import type { Selection } from './selection.ts';

/** What a run is asked to build. */
export interface BuildRequest extends Selection {
  /** Rebuild the selection even when nothing changed. */
  fullRefresh: boolean;
  /** Build only metrics whose schedule came due since they were last current (a due metric is always rebuilt). */
  due: boolean;
}

/**
 * A build request from a verb's options: `select` / `exclude` only when given, `fullRefresh` and `due` false unless set.
 *
 * @example
 * ```ts
 * buildRequest({ select: ['+top'] }); // { fullRefresh: false, due: false, select: ['+top'] }
 * ```
 */
export function buildRequest(options: Selection & { fullRefresh?: boolean | undefined; due?: boolean | undefined }): BuildRequest {
  return { fullRefresh: options.fullRefresh ?? false, due: options.due ?? false, ...(options.select ? { select: options.select } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) };
}

/** The hashes a build is recorded with; what skip-unchanged compares next time. */
export interface BuildHashes {
  definitionHash: string;
  inputHash: string;
  /** The fingerprint of every table the metric reads, by lower-case name. */
  upstream: Record<string, string>;
}

/** A metric the plan builds. */
export interface BuildStepBuild {
  action: 'build';
  metric: Metric;
  /** Why it is built: never built, inputs changed, `fullRefresh`, or its schedule came due. */
  reason: 'new' | 'changed' | 'full refresh' | 'due';
  hashes: BuildHashes;
  /** The table or view it replaces, if any. */
  existing?: TableEntry;
  /** True when the rejected result of an earlier failed audit is in quarantine (a good build drops it). */
  quarantined?: boolean;
}

/** A metric the plan does not build, with the result the run reports for it. */
export interface BuildStepSkip {
  action: 'skip';
  metric: Metric;
  /** The reason, as the run reports it (`up to date`, `not selected`, `upstream failed: x`, …). */
  reason: string;
  result: MetricRunResult;
  /** Recorded with the run (up to date metrics: the hashes they were found current with). */
  hashes?: BuildHashes;
  /** What a downstream metric is skipped with because of this one; undefined when downstream may build. */
  blocks?: string;
}

/** One step of a build plan. */
export type BuildStep = BuildStepBuild | BuildStepSkip;

/**
 * A build plan: every parsed metric's step in build order, plus the files that did not parse (reported as failed).
 *
 * @example
 * ```ts
 * const plan = planBuild({ project, state, request: { fullRefresh: false, due: false }, now: new Date(), timezone: 'UTC' });
 * plan.steps.filter((s) => s.action === 'build').map((s) => s.metric.name);
 * ```
 */
export interface BuildPlan {
  steps: BuildStep[];
  /** Names of the selected valid metrics (what `run:start` announces). */
  selected: string[];
  /** Entries of files that did not parse into a metric. */
  unparsed: MetricValidation[];
}

/** What `planBuild` decides from. */
export interface PlanInput {
  project: Project;
  state: StateView;
  request: BuildRequest;
  now: Date;
  /** Time zone of cron schedules. */
  timezone: string;
  /** Sources whose files are gone (lower-case name → file): metrics reading them are not built from the stale table. */
  missingSources?: ReadonlyMap<string, string>;
}

/**
 * Plans a run. Metrics are taken in build order, so each metric's upstream fingerprints are known when it is
 * planned: a built metric's is its new input hash, a skipped one's its stored hash. A metric is rebuilt only when
 * its input hash (definition, tool version, upstream fingerprints) differs from its last build. Whether a build
 * succeeds is a fact of the run: the build queue turns the downstream of a failure into skips.
 */
export function planBuild({ project, state, request, now, timezone, missingSources = new Map() }: PlanInput): BuildPlan {
  const selected = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, request);
  const valid = (m: Metric): boolean => project.entries.get(m.file)!.status === 'valid';
  const fingerprint = new Map<string, string>();
  const blockedBy = new Map<Metric, string>();
  const steps: BuildStep[] = [];

  const skip = (metric: Metric, reason: string, fields: Partial<MetricRunResult> & { hashes?: BuildHashes; blocks?: string } = {}): void => {
    const { hashes, blocks, ...rest } = fields;
    const entry = project.entries.get(metric.file)!;
    const result: MetricRunResult = { name: metric.name, file: metric.file, warnings: entry.warnings, status: 'skipped', reason, errors: [], ...rest };
    if (blocks !== undefined) blockedBy.set(metric, blocks);
    steps.push({ action: 'skip', metric, reason, result, ...(hashes ? { hashes } : {}), ...(blocks === undefined ? {} : { blocks }) });
  };

  for (const metric of project.order) {
    const key = metric.name.toLowerCase();
    const entry = project.entries.get(metric.file)!;
    const stored = state.metrics.get(key);
    const notDue = request.due && selected.has(metric) && valid(metric) && state.tables.has(key) && !isDue(metric.schedule, state.lastCurrent.get(key) ?? null, now, timezone);
    if (!selected.has(metric) || notDue) {
      if (stored?.inputHash) fingerprint.set(key, stored.inputHash);
      const next = notDue ? nextDue(metric.schedule, state.lastCurrent.get(key) ?? null, timezone) : null;
      const reason = notDue ? `not due (next ${next ? next.toISOString() : 'never: the schedule never fires'})` : 'not selected';
      skip(metric, reason, stored?.inputHash ? {} : { blocks: `upstream not built: ${metric.name}` });
      continue;
    }
    const invalidUpstream = (project.upstream.get(metric) ?? []).find((u) => !valid(u));
    if (!valid(metric) && invalidUpstream && entry.errors.every((e) => e.code === 'UPSTREAM_INVALID')) {
      const blocker = blockedBy.get(invalidUpstream) ?? `upstream failed: ${invalidUpstream.name}`;
      skip(metric, blocker, { blocks: blocker });
      continue;
    }
    if (!valid(metric)) {
      skip(metric, 'invalid', { status: 'failed', errors: entry.errors, ...(entry.errors[0] ? { error: entry.errors[0] } : {}), blocks: `upstream failed: ${metric.name}` });
      continue;
    }
    const blocker = (project.upstream.get(metric) ?? []).map((u) => blockedBy.get(u)).find((b) => b !== undefined);
    if (blocker !== undefined) {
      skip(metric, blocker, { blocks: blocker });
      continue;
    }
    const stale = (project.reads.get(metric) ?? []).find((name) => missingSources.has(name));
    if (stale !== undefined) {
      const file = missingSources.get(stale)!;
      const error: Diagnostic = {
        severity: 'error', code: 'SOURCE_FILE_MISSING', file: metric.file, line: metric.sqlLine, column: 1,
        message: `reads source ${stale}, whose file ${file} no longer exists: not built from the stale table`,
        hint: `restore ${file} and run duckmetrics setup, or drop the source with duckmetrics setup --prune and change the SQL`,
      };
      skip(metric, `source file missing: ${file}`, { status: 'failed', errors: [error], error, blocks: `upstream failed: ${metric.name}` });
      continue;
    }

    const upstream: Record<string, string> = {};
    for (const name of project.reads.get(metric) ?? []) upstream[name] = fingerprint.get(name) ?? state.sources.get(name)?.fingerprint ?? 'external';
    const definition = definitionHash(metric, project.parsed.get(metric)?.normalizedHash);
    const hashes: BuildHashes = { definitionHash: definition, inputHash: inputHash(definition, upstream), upstream };
    fingerprint.set(key, hashes.inputHash);
    const existing = state.tables.get(key);
    // A due metric is rebuilt even when its inputs did not change: its schedule is the reason to refresh it
    // (time-dependent SQL such as current_date, tables no plugin fingerprints).
    if (!request.fullRefresh && !request.due && existing && stored?.inputHash === hashes.inputHash) {
      skip(metric, 'up to date', { ...(stored.rows === null ? {} : { rows: stored.rows }), hashes });
      continue;
    }
    const reason = request.fullRefresh ? 'full refresh' : request.due ? 'due' : existing && stored ? 'changed' : 'new';
    steps.push({ action: 'build', metric, reason, hashes, ...(existing ? { existing } : {}), ...(state.quarantined.has(key) ? { quarantined: true } : {}) });
  }

  const parsedFiles = new Set(project.order.map((m) => m.file));
  return {
    steps,
    selected: project.order.filter((m) => selected.has(m) && valid(m)).map((m) => m.name),
    unparsed: [...project.entries.values()].filter((e) => !parsedFiles.has(e.file)),
  };
}
