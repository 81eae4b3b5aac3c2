// Core's rule on a metric's SQL, whatever plugins run: exactly one SELECT.
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { ParsedSql } from './sql-parse.ts';
import { toFileDiagnostic } from '../metrics/metric-diagnostics.ts';

/**
 * Core's own rule, whatever plugins are configured: a metric's SQL is exactly one query. The engine pastes it after
 * `CREATE OR REPLACE TABLE … AS`, and DuckDB runs every statement of a string, so `SELECT 1; DROP TABLE orders`
 * must never reach the database. Parse errors are left to validators (and fail the build anyway).
 */
export async function sqlShapeDiagnostic(db: Database, metric: Metric, parsed: ParsedSql | undefined): Promise<Diagnostic | undefined> {
  const statements = parsed?.statements;
  if (statements === undefined || statements === 'parse-error' || statements === 1) return undefined;
  if (statements === 0) {
    return toFileDiagnostic(metric, { code: 'SQL_EMPTY', message: 'sql holds no statement (only comments or white space)', hint: 'write one SELECT statement', sqlOffset: 0 });
  }
  const count = typeof statements === 'number' ? statements : await db.countStatements(metric.sql).catch(() => 1);
  if (count > 1) {
    return toFileDiagnostic(metric, {
      code: 'SQL_MULTIPLE_STATEMENTS',
      message: `sql must be exactly one statement; found ${count}`,
      hint: 'keep one SELECT; put other queries in their own metric files, and use CTEs (WITH …) for steps',
      sqlOffset: 0,
    });
  }
  const keyword = firstKeyword(metric.sql);
  return toFileDiagnostic(metric, {
    code: 'SQL_NOT_SELECT',
    message: `sql must be a SELECT statement; found ${keyword ? `${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} statement` : 'another kind of statement'}`,
    hint: 'a metric is a query: write SELECT … (or WITH … SELECT …); duckmetrics creates the table itself',
    sqlOffset: 0,
  });
}

function firstKeyword(sql: string): string | undefined {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim();
  return /^[A-Za-z]+/.exec(stripped)?.[0]?.toUpperCase();
}
