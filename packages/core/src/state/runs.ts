// Run history in the state schema: a run and its metrics recorded, read back for `history` and schedules.
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';
import type { MetricRunResult, RunResult } from '../results.ts';
import { foldBuildJournal } from './builds.ts';
import { STATE_SCHEMA } from './schema.ts';

/** Extra facts recorded with a metric's run. */
export interface MetricRunFacts {
  definitionHash?: string;
  inputHash?: string;
  upstream?: Record<string, string>;
}

// DuckDB strings cannot hold NUL: names of invalid files may (the fuzz test found one).
const clean = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : v.replace(/\0/g, '\uFFFD'));
const whole = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Math.round(v));
const lit = (v: string | null | undefined): string => {
  const text = clean(v);
  return text === null ? 'NULL' : quoteLiteral(text);
};
const num = (v: number | null | undefined): string => String(whole(v) ?? 'NULL');
/** A JS time as a UTC TIMESTAMP literal (times are written from JS so a test clock and the session time zone agree). */
export const timestampLiteral = (d: Date): string => `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;

/** Records the start of a run in `_duckmetrics.runs`. */
export async function startRunRecord(db: Database, runId: string, command: string, selection: string, version: string, at: Date): Promise<void> {
  await db.run(`INSERT INTO ${STATE_SCHEMA}.runs (run_id, command, status, started_at, tool_version, selection)
    VALUES (${lit(runId)}, ${lit(command)}, 'running', ${timestampLiteral(at)}, ${lit(version)}, ${lit(selection)})`);
}

/**
 * Marks runs still `running` as `interrupted`. Called when the engine opens the database: DuckDB's file lock means
 * no other process is running, so such a row was left by a process that was killed (SIGKILL, power loss).
 */
export async function markInterruptedRuns(db: Database): Promise<void> {
  const [marked] = await db.all<{ Count?: number }>(`UPDATE ${STATE_SCHEMA}.runs SET status = 'interrupted' WHERE status = 'running'`);
  // A run that did not finish left its intents in the journal: the metrics it may have rebuilt are rebuilt next time.
  if (Number(marked?.Count ?? 0) > 0) await foldBuildJournal(db);
}

/** Records the end of a run and every metric's outcome, in one statement each. */
export async function finishRunRecord(
  db: Database,
  runId: string,
  result: RunResult,
  status: 'success' | 'failed' | 'cancelled',
  facts: Map<MetricRunResult, MetricRunFacts>,
  at: Date,
): Promise<void> {
  const count = (s: MetricRunResult['status']): number => result.metrics.filter((m) => m.status === s).length;
  // One JSON literal unnested by DuckDB: a VALUES list of 400 rows took 25-45 ms to plan, this takes 8-11 ms.
  const rows = result.metrics.map((m) => {
    const f = facts.get(m) ?? {};
    return [clean(m.name), clean(m.file), m.status, clean(m.reason), whole(m.rows), whole(m.durationMs), clean(m.error ? JSON.stringify(m.error) : null),
      clean(f.definitionHash), clean(f.inputHash), clean(f.upstream ? JSON.stringify(f.upstream) : null)];
  });
  if (rows.length > 0) {
    const columns: Array<[string, string]> = [['name', 'VARCHAR'], ['file', 'VARCHAR'], ['status', 'VARCHAR'], ['reason', 'VARCHAR'], ['rows', 'BIGINT'], ['duration_ms', 'BIGINT'],
      ['error', 'VARCHAR'], ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['upstream', 'VARCHAR']];
    const picks = columns.map(([c, t], i) => `(r->>${i})::${t} AS ${c}`).join(', ');
    await db.run(`INSERT INTO ${STATE_SCHEMA}.metric_runs (run_id, ${columns.map(([c]) => c).join(', ')}, finished_at)
      SELECT ${lit(runId)}, ${columns.map(([c]) => c).join(', ')}, ${timestampLiteral(at)} FROM (SELECT ${picks} FROM (SELECT unnest(${lit(JSON.stringify(rows))}::JSON[]) AS r))`);
  }
  await db.run(`UPDATE ${STATE_SCHEMA}.runs SET status = ${lit(status)}, finished_at = ${timestampLiteral(at)},
    duration_ms = ${num(result.durationMs)}, built = ${count('success')}, failed = ${count('failed')}, skipped = ${count('skipped')}
    WHERE run_id = ${lit(runId)}`);
}

/** One row of `duckmetrics history`. */
export interface HistoryEntry {
  runId: string;
  startedAt: string;
  /** For a run: the run's status; for a metric: the metric's status in that run. */
  status: string;
  name?: string;
  reason?: string | null;
  rows?: number | null;
  durationMs: number | null;
  error?: string | null;
  built?: number | null;
  failed?: number | null;
  skipped?: number | null;
}

/** The last runs (or, with `name`, the last runs of one metric), newest first. */
export async function readHistory(db: Database, options: { name?: string; limit?: number } = {}): Promise<HistoryEntry[]> {
  const limit = Math.max(1, Math.min(10_000, Math.trunc(options.limit ?? 20)));
  if (options.name !== undefined) {
    const rows = await db.all<Record<string, unknown>>(
      `SELECT m.run_id, strftime(r.started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_text, m.name, m.status, m.reason, m.rows, m.duration_ms, m.error
       FROM ${STATE_SCHEMA}.metric_runs m JOIN ${STATE_SCHEMA}.runs r USING (run_id)
       WHERE lower(m.name) = lower(${lit(options.name)}) ORDER BY r.started_at DESC, m.finished_at DESC LIMIT ${limit}`,
    );
    return rows.map((r) => ({
      runId: String(r.run_id), startedAt: String(r.started_text), name: String(r.name), status: String(r.status),
      reason: r.reason as string | null, rows: r.rows as number | null, durationMs: r.duration_ms as number | null,
      error: r.error === null ? null : (JSON.parse(String(r.error)) as { message: string }).message,
    }));
  }
  const rows = await db.all<Record<string, unknown>>(
    `SELECT run_id, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_text, status, duration_ms, built, failed, skipped
     FROM ${STATE_SCHEMA}.runs ORDER BY started_at DESC LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    runId: String(r.run_id), startedAt: String(r.started_text), status: String(r.status), durationMs: r.duration_ms as number | null,
    built: r.built as number | null, failed: r.failed as number | null, skipped: r.skipped as number | null,
  }));
}

/**
 * When each metric (lower-case name) was last made current: built, or found up to date by a run. Schedules are
 * measured from this.
 */
export async function readLastCurrent(db: Database): Promise<Map<string, Date>> {
  const rows = await db.all<{ key: string; ms: number }>(
    `SELECT lower(name) AS key, epoch_ms(max(finished_at)) AS ms FROM ${STATE_SCHEMA}.metric_runs
     WHERE status = 'success' OR reason = 'up to date' GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.key, new Date(r.ms)]));
}

/** The last run of each metric (lower-case name). */
export async function readLastRuns(db: Database): Promise<Map<string, { runId: string; status: string; reason: string | null; rows: number | null; durationMs: number | null; finishedAt: string; error: string | null }>> {
  const rows = await db.all<{ key: string; run_id: string; status: string; reason: string | null; rows: number | null; duration_ms: number | null; ms: number; error: string | null }>(
    `SELECT lower(name) AS key, run_id, status, reason, rows, duration_ms, epoch_ms(finished_at) AS ms, error
     FROM ${STATE_SCHEMA}.metric_runs WHERE reason IS DISTINCT FROM 'not selected'
     QUALIFY row_number() OVER (PARTITION BY lower(name) ORDER BY finished_at DESC) = 1`,
  );
  return new Map(rows.map((r) => [r.key, {
    runId: String(r.run_id), status: r.status, reason: r.reason, rows: r.rows, durationMs: r.duration_ms, finishedAt: new Date(r.ms).toISOString(),
    error: r.error === null ? null : (JSON.parse(r.error) as { message: string }).message,
  }]));
}
