// The publish verb: the last plan's previews promoted into place in one transaction, without running metric SQL again.
import { randomUUID } from 'node:crypto';
import type { Session } from '../engine/session.ts';
import { quoteIdent, trimStatement } from '../database/sql.ts';
import { buildRequest, planBuild } from '../project/build-plan.ts';
import { CORE_VERSION } from '../project/hashing.ts';
import { PREVIEW_SCHEMA } from '../project/namespace.ts';
import { planStaleness } from '../preview/plan-staleness.ts';
import type { PublishResult } from '../preview/plan-types.ts';
import type { MetricRunResult } from '../results.ts';
import { recordMetricSql } from '../state/builds.ts';
import { dropPreview, readPlan } from '../state/plans.ts';
import { ensurePreviousSchema, keepPreviousSql } from '../state/previous-versions.ts';
import { finishRunRecord, startRunRecord } from '../state/runs.ts';
import type { MetricRunFacts } from '../state/runs.ts';
import { readStateView } from '../state/state-view.ts';
import { planFingerprints } from './plan.ts';
import { writeSnapshot, ensureSnapshotSchema } from '../snapshots/snapshot-write.ts';
import { snapshotNote } from '../metrics/metric-diagnostics.ts';
import { validateProject } from './validate.ts';

/**
 * Publishes the last plan: refuses (and changes nothing) when a metric file, a source or a published table the plan
 * depended on changed since; otherwise, in one transaction, keeps each replaced table as its previous version
 * (unless `keepPreviousVersions` is off), copies each passed preview table into place (a view is created from its
 * SQL), records the builds and a `publish` run, and drops the preview. A metric whose preview failed, and its
 * previewed downstream, are not published.
 */
export async function publishPlan(session: Session, options: { now?: Date } = {}): Promise<PublishResult> {
  const started = performance.now();
  const config = await session.config();
  const db = await session.sandboxedDb();
  const refuse = (refused: string[]): PublishResult => ({ ok: false, published: [], blocked: [], refused, durationMs: Math.round(performance.now() - started) });
  const plan = await readPlan(db);
  if (!plan) return refuse(['there is no plan to publish: run duckmetrics plan first (a plan is used once)']);
  const state = await readStateView(db);
  const project = await validateProject(session, db, state, session.signal);
  const request = buildRequest({ ...plan.selection, due: false });
  const replanned = planBuild({ project, state, request, now: options.now ?? new Date(), timezone: config.timezone });
  const stale = planStaleness(plan, replanned.steps, await planFingerprints(db, state));
  if (stale.length > 0) return refuse(stale.map((s) => `${s}; run duckmetrics plan again`));

  const metricOf = new Map(project.order.map((m) => [m.name.toLowerCase(), m]));
  const blocked = new Map<string, string>();
  for (const m of plan.metrics) {
    const metric = metricOf.get(m.name.toLowerCase())!;
    const failedUp = (project.upstream.get(metric) ?? []).map((u) => u.name).find((u) => blocked.has(u.toLowerCase()));
    if (m.status === 'failed') blocked.set(m.name.toLowerCase(), `preview failed: ${m.reason}`);
    else if (failedUp !== undefined) blocked.set(m.name.toLowerCase(), `upstream blocked: ${failedUp}`);
  }
  const ready = plan.metrics.filter((m) => !blocked.has(m.name.toLowerCase()));
  const now = options.now ?? new Date();
  const runId = randomUUID();
  const facts = new Map<MetricRunResult, MetricRunFacts>();
  const results: MetricRunResult[] = [];
  await db.run('BEGIN TRANSACTION');
  try {
    if (config.keepPreviousVersions) await ensurePreviousSchema(db);
    if (ready.some((m) => metricOf.get(m.name.toLowerCase())!.snapshot)) await ensureSnapshotSchema(db);
    await startRunRecord(db, runId, 'publish', JSON.stringify({ plan: plan.planId }), CORE_VERSION, now);
    for (const m of ready) {
      const metric = metricOf.get(m.name.toLowerCase())!;
      const existing = state.tables.get(m.name.toLowerCase());
      const target = `main.${quoteIdent(metric.name)}`;
      const statements: string[] = [];
      if (existing?.type === 'table' && config.keepPreviousVersions) statements.push(keepPreviousSql(existing.name));
      if (existing) statements.push(`DROP ${existing.type === 'view' ? 'VIEW' : 'TABLE'} main.${quoteIdent(existing.name)}`);
      statements.push(m.materialized === 'view'
        ? `CREATE VIEW ${target} AS\n${trimStatement(metric.sql)}\n`
        : `CREATE TABLE ${target} AS SELECT * FROM ${PREVIEW_SCHEMA}.${quoteIdent(metric.name)}`);
      statements.push(recordMetricSql({ name: metric.name, file: metric.file, materialized: m.materialized, rows: m.rows, definitionHash: m.definitionHash, inputHash: m.inputHash, toolVersion: CORE_VERSION, upstream: m.upstream }));
      // The version is written from the preview, in this transaction, before the preview is dropped.
      const snapshot = metric.snapshot && m.materialized === 'table' ? await writeSnapshot(db, { ...metric, snapshot: metric.snapshot }, { schema: PREVIEW_SCHEMA, table: metric.name }, now) : undefined;
      await db.run(statements.join(';\n'));
      const result: MetricRunResult = { name: metric.name, file: metric.file, status: 'success', reason: 'published', errors: [], warnings: [], ...(m.rows === null ? {} : { rows: m.rows }) };
      if (snapshot) {
        const { notes, ...counts } = snapshot;
        result.snapshot = counts;
        result.warnings = notes.map((n) => snapshotNote(metric, n));
      }
      results.push(result);
      facts.set(result, { definitionHash: m.definitionHash, inputHash: m.inputHash, upstream: m.upstream });
    }
    for (const m of plan.metrics.filter((x) => blocked.has(x.name.toLowerCase()))) {
      results.push({ name: m.name, file: m.file, status: 'skipped', reason: blocked.get(m.name.toLowerCase())!, errors: [], warnings: [] });
    }
    await dropPreview(db);
    const durationMs = Math.round(performance.now() - started);
    await finishRunRecord(db, runId, { ok: blocked.size === 0, metrics: results, durationMs }, blocked.size === 0 ? 'success' : 'failed', facts, now);
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const result: PublishResult = {
    ok: blocked.size === 0,
    published: ready.map((m) => ({ name: m.name, rows: m.rows })),
    blocked: [...blocked.values()].map((reason, i) => ({ name: [...blocked.keys()][i]!, reason })),
    refused: [],
    durationMs: Math.round(performance.now() - started),
  };
  for (const b of result.blocked) b.name = plan.metrics.find((m) => m.name.toLowerCase() === b.name)!.name;
  session.emit('publish:end', result);
  return result;
}
