// The last plan in the state schema: each previewed metric with its hashes, and what the plan read, for `publish`.
import type { Database } from '../database/database.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { PREVIEW_SCHEMA } from '../project/namespace.ts';
import { timestampLiteral } from './runs.ts';
import { STATE_SCHEMA } from './schema.ts';

/** One previewed metric as the plan recorded it. */
export interface PlannedMetric {
  name: string;
  file: string;
  /** `ready`: built and audited in the preview; `failed`: its build, audit or unit test failed there. */
  status: 'ready' | 'failed';
  reason: string;
  materialized: 'table' | 'view';
  rows: number | null;
  definitionHash: string;
  inputHash: string;
  upstream: Record<string, string>;
}

/** What the plan depended on besides the metric files: when each published table was built, each source's load. */
export interface PlanFingerprints {
  /** Lower-case metric name → when its published table was built (ISO), or null when it had none. */
  tables: Record<string, string | null>;
  /** Lower-case source name → its fingerprint and load time. */
  sources: Record<string, string>;
}

/** The last plan, in build order. */
export interface PlanRecord {
  planId: string;
  createdAt: string;
  selection: { select?: string[]; exclude?: string[]; fullRefresh?: boolean };
  fingerprints: PlanFingerprints;
  metrics: PlannedMetric[];
}

const lit = (v: string | null): string => (v === null ? 'NULL' : quoteLiteral(v));

/** SQL that forgets the last plan's record (run first by a new plan: a killed plan leaves no plan to publish). */
export function forgetPlanSql(): string {
  return `DELETE FROM ${STATE_SCHEMA}.plans; DELETE FROM ${STATE_SCHEMA}.plan_metrics`;
}

/** Records a finished plan, replacing the last one. */
export async function recordPlan(db: Database, plan: PlanRecord, at: Date): Promise<void> {
  const values = plan.metrics.map((m, i) => `(${lit(plan.planId)}, ${i}, ${lit(m.name.toLowerCase())}, ${lit(m.name)}, ${lit(m.file)}, ${lit(m.status)},
    ${lit(m.reason)}, ${lit(m.materialized)}, ${m.rows ?? 'NULL'}, ${lit(m.definitionHash)}, ${lit(m.inputHash)}, ${lit(JSON.stringify(m.upstream))})`);
  await db.run(`${forgetPlanSql()};
    INSERT INTO ${STATE_SCHEMA}.plans VALUES (${lit(plan.planId)}, ${timestampLiteral(at)}, ${lit(JSON.stringify(plan.selection))}, ${lit(JSON.stringify(plan.fingerprints))})
    ${values.length > 0 ? `; INSERT INTO ${STATE_SCHEMA}.plan_metrics VALUES ${values.join(',\n')}` : ''}`);
}

/** The last plan, or undefined when there is none (never planned, published, or cleaned). */
export async function readPlan(db: Database): Promise<PlanRecord | undefined> {
  const [plan] = await db.all<{ plan_id: string; ms: number; selection: string; fingerprints: string }>(
    `SELECT plan_id, epoch_ms(created_at) AS ms, selection, fingerprints FROM ${STATE_SCHEMA}.plans LIMIT 1`,
  );
  if (!plan) return undefined;
  const rows = await db.all<{ name: string; file: string; status: string; reason: string; materialized: string; rows: number | null; definition_hash: string; input_hash: string; upstream: string }>(
    `SELECT name, file, status, reason, materialized, rows, definition_hash, input_hash, upstream FROM ${STATE_SCHEMA}.plan_metrics
     WHERE plan_id = ${lit(plan.plan_id)} ORDER BY position`,
  );
  return {
    planId: plan.plan_id,
    createdAt: new Date(plan.ms).toISOString(),
    selection: JSON.parse(plan.selection) as PlanRecord['selection'],
    fingerprints: JSON.parse(plan.fingerprints) as PlanFingerprints,
    metrics: rows.map((r) => ({
      name: r.name, file: r.file, status: r.status === 'ready' ? 'ready' : 'failed', reason: r.reason, materialized: r.materialized === 'view' ? 'view' : 'table',
      rows: r.rows, definitionHash: r.definition_hash, inputHash: r.input_hash, upstream: JSON.parse(r.upstream) as Record<string, string>,
    })),
  };
}

/** SQL that drops one previewed table or view. */
export function dropPreviewSql(name: string, materialized: 'table' | 'view'): string {
  return `DROP ${materialized === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${PREVIEW_SCHEMA}.${quoteIdent(name)}`;
}

/** Drops the whole preview and forgets the plan (`clean`, and the start of every plan). */
export async function dropPreview(db: Database): Promise<void> {
  await db.run(`DROP SCHEMA IF EXISTS ${PREVIEW_SCHEMA} CASCADE; ${forgetPlanSql()}`);
}
