// Core's rule on a metric's SQL, whatever plugins run: exactly one SELECT.
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { ParsedSql } from './sql-parse.ts';
import { toFileDiagnostic } from '../metrics/metric-diagnostics.ts';
import { firstKeyword, keywordOffset, textStatementCount } from './sql-text.ts';

const NOT_SELECT_HINT = 'a metric is a query: write SELECT … (or WITH … SELECT …); duckmetrics creates the table itself';
/** Words a query may start with; a PIVOT in a statement that starts otherwise is part of that statement. */
const QUERY_START = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'PIVOT', 'PIVOT_WIDER', undefined]);

/**
 * Core's own rule, whatever plugins are configured: a metric's SQL is exactly one query. The engine pastes it after
 * `CREATE OR REPLACE TABLE … AS`, and DuckDB runs every statement of a string, so `SELECT 1; DROP TABLE orders`
 * must never reach the database. Two queries DuckDB treats specially get their own words: `SUMMARIZE` / `DESCRIBE`
 * / `SHOW`, which DuckDB parses as a SELECT but no table can be created from, and a dynamic `PIVOT` (no `IN (…)`),
 * which DuckDB runs as two statements. Parse errors are left to validators (and fail the build anyway).
 */
export async function sqlShapeDiagnostic(db: Database, metric: Metric, parsed: ParsedSql | undefined): Promise<Diagnostic | undefined> {
  const statements = parsed?.statements;
  const keyword = firstKeyword(metric.sql);
  if (statements === 1 && parsed?.shows.some((s) => s.statement)) {
    return toFileDiagnostic(metric, {
      code: 'SQL_NOT_SELECT',
      message: `sql must be a SELECT statement; found a ${keyword ?? parsed.shows[0]!.keyword} statement (SUMMARIZE, DESCRIBE and SHOW are not queries a table can be created from)`,
      hint: `write the query: e.g. SELECT count(*), min(col), max(col) FROM t instead of SUMMARIZE t; ${NOT_SELECT_HINT}`,
      sqlOffset: 0,
    });
  }
  if (statements === undefined || statements === 'parse-error' || statements === 1) return undefined;
  if (statements === 0) {
    return toFileDiagnostic(metric, { code: 'SQL_EMPTY', message: 'sql holds no statement (only comments or white space)', hint: 'write one SELECT statement', sqlOffset: 0 });
  }
  const pivot = statements === 'not-select' && QUERY_START.has(keyword) ? keywordOffset(metric.sql, ['PIVOT', 'PIVOT_WIDER']) : undefined;
  // DuckDB counts the statement it adds for each dynamic PIVOT (`CREATE TYPE … AS ENUM`): count as written.
  const count = typeof statements === 'number' ? statements : Math.min(textStatementCount(metric.sql), await db.countStatements(metric.sql).catch(() => 1));
  if (count > 1) {
    return toFileDiagnostic(metric, {
      code: 'SQL_MULTIPLE_STATEMENTS',
      message: `sql must be exactly one statement; found ${count}`,
      hint: 'keep one SELECT; put other queries in their own metric files, and use CTEs (WITH …) for steps',
      sqlOffset: 0,
    });
  }
  if (pivot !== undefined) {
    return toFileDiagnostic(metric, {
      code: 'SQL_NOT_SELECT',
      message: 'sql must be a SELECT statement; found a dynamic PIVOT (ON without IN (…)), which DuckDB runs as two statements: one to find the values that become columns, then the pivot',
      hint: "list the values, so the metric's columns do not depend on the data: PIVOT t ON col IN ('a', 'b') USING sum(x)",
      sqlOffset: pivot,
    });
  }
  return toFileDiagnostic(metric, {
    code: 'SQL_NOT_SELECT',
    message: `sql must be a SELECT statement; found ${keyword ? `${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} statement` : 'another kind of statement'}`,
    hint: NOT_SELECT_HINT,
    sqlOffset: 0,
  });
}
