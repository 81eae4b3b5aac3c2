// Validation of a metric's checks against its shape: named columns exist, each check's SQL compiles.
import type { Database } from '../database/database.ts';
import { duckdbErrorText } from '../database/database.ts';
import { quoteIdent } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import { errorMessage } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { metricFrame } from '../metrics/metric-loader.ts';
import type { Check } from './checks.ts';
import { checkedColumns, failingRowsSql } from './check-sql.ts';

/** Checks name real columns of the metric and compile against its shape (each check's SQL planned, not run). */
export async function validateChecks(db: Database, metric: Metric): Promise<Diagnostic[]> {
  const columns = (await db.all<{ name: string }>(`SELECT column_name AS name FROM (DESCRIBE ${quoteIdent(metric.name)})`)).map((r) => r.name);
  const out: Diagnostic[] = [];
  const at = (check: Check, code: string, message: string, hint: string): Diagnostic => {
    const d: Diagnostic = { severity: 'error', code, message, file: metric.file, line: check.at.line, column: check.at.column, hint };
    const frame = metricFrame(metric, check.at);
    if (frame !== undefined) d.frame = frame;
    return d;
  };
  for (const check of metric.checks) {
    const missing = checkedColumns(check).find((c) => !columns.some((k) => k.toLowerCase() === c.toLowerCase()));
    if (missing !== undefined) {
      const suggestion = didYouMean(missing, columns);
      out.push(at(check, 'CHECK_UNKNOWN_COLUMN', `check ${check.name} names column "${missing}", which the metric does not return${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, `columns of ${metric.name}: ${columns.join(', ')}`));
      continue;
    }
    const sql = failingRowsSql(check, metric.name);
    try {
      if ((await db.countStatements(sql)) !== 1) throw new Error('the check must be one condition or one SELECT, not several statements');
      await (db.plan ? db.plan(sql) : db.run(`EXPLAIN ${sql}`));
    } catch (error) {
      out.push(at(check, 'CHECK_INVALID', `check ${check.name} does not compile: ${duckdbErrorText(errorMessage(error))}`, check.type === 'sql' ? 'write one SELECT whose rows are the failures; {{ this }} is the metric table' : 'fix the check at this line'));
    }
  }
  return out;
}
