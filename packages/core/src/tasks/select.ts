// Ad-hoc reads (`duckmetrics query "SELECT …"`): one SELECT, under the sandbox, in a transaction that is rolled back.
import { duckdbErrorText } from '../database/database.ts';
import { trimStatement } from '../database/sql.ts';
import type { Session } from '../engine/session.ts';
import { DuckmetricsError, errorMessage } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { parseMetricSql } from '../project/sql-parse.ts';
import { addSandboxRules } from '../project/sandbox-rules.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { readAsOfTime, rewriteAsOf } from '../snapshots/as-of.ts';

/** What `engine.select()` returns. */
export interface SelectResult {
  /** The SQL as run (the user's SELECT, trimmed; with `asOf`, DuckDB's rendering of it reading the versions). */
  sql: string;
  /** Each result column with its DuckDB type, in order. */
  columns: Array<{ name: string; type: string }>;
  /** Up to `limit` rows, as plain values. */
  rows: Array<Record<string, unknown>>;
  /** True when the SELECT returned more rows than `limit`. */
  truncated: boolean;
  /** With `asOf`: the time as DuckDB read it, and the metrics read at that time (from their versions in `snapshots`). */
  asOf?: { time: string; replaced: string[] };
}

/**
 * Runs one read-only SELECT against the project database: checked by DuckDB's parser to be exactly one SELECT,
 * run on the sandboxed instance inside a transaction that is always rolled back. Bad SQL is `QUERY_INVALID`
 * with DuckDB's message.
 */
export async function selectRows(session: Session, sql: string, options: { limit?: number; asOf?: string | Date } = {}): Promise<SelectResult> {
  const limit = Math.max(0, Math.trunc(options.limit ?? 100));
  const db = await session.sandboxedDb();
  const text = trimStatement(sql);
  // A query is parsed, and held to the sandbox's allow-list, exactly as a metric's SQL is.
  const asMetric: Metric = {
    name: 'query', file: '(query)', path: '(query)', description: '', owner: '', schedule: '@daily', sql: text,
    tags: [], columns: [], materialized: 'table', dependsOn: [], uniqueKey: [], checks: [], tests: [], sqlLine: 1, nameLine: 1,
  };
  const parsedAll = await parseMetricSql(db, [asMetric]);
  const parsed = parsedAll.get(asMetric);
  if ((await session.config()).sandbox) {
    const found: Diagnostic[] = [];
    await addSandboxRules(db, [asMetric], parsedAll, () => found);
    const [refused] = found;
    if (refused) throw new DuckmetricsError('SANDBOX', refused.message, { ...(refused.hint === undefined ? {} : { hint: refused.hint }) });
  }
  // A non-SELECT among several statements parses as 'not-select': count them to say which rule it breaks.
  const counted = parsed?.statements === 'not-select' ? await db.countStatements(text).catch(() => 1) : undefined;
  const statements = counted !== undefined && counted > 1 ? counted : parsed?.statements;
  const refuse = (message: string, hint: string): never => {
    throw new DuckmetricsError('QUERY_INVALID', message, { hint });
  };
  if (statements === 0) refuse('the query holds no statement', 'write one SELECT, e.g. duckmetrics query "SELECT * FROM orders LIMIT 5"');
  if (statements === 'not-select') refuse('the query must be a SELECT (query only reads)', 'write SELECT … or WITH … SELECT …; tables are built by duckmetrics run');
  if (typeof statements === 'number' && statements > 1) refuse(`the query must be exactly one statement; found ${statements}`, 'run one SELECT at a time');
  // The SQL checked is the user's; the SQL run reads the versions at that time in its place (snapshots/as-of.ts).
  const past = options.asOf === undefined ? undefined : await rewriteAsOf(db, text, await readAsOfTime(db, options.asOf));
  const run = past?.sql ?? text;
  await db.run('BEGIN TRANSACTION');
  try {
    const columns = (await db.all<{ name: string; type: string }>(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE (\n${run}\n))`));
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM (\n${run}\n) LIMIT ${limit + 1}`);
    return { sql: run, columns, rows: rows.slice(0, limit), truncated: rows.length > limit, ...(past ? { asOf: { time: past.time, replaced: past.replaced } } : {}) };
  } catch (error) {
    if (error instanceof DuckmetricsError) throw error;
    throw new DuckmetricsError('QUERY_INVALID', duckdbErrorText(errorMessage(error)), { hint: 'fix the SQL; duckmetrics list shows the metric tables and duckmetrics show <name> their columns', cause: error });
  } finally {
    await db.run('ROLLBACK').catch(() => undefined);
  }
}
