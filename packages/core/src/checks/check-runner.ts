// Running checks against a table: failing row counts and samples.
import type { Check } from './checks.ts';
import type { Database } from '../database/database.ts';
import { duckdbErrorText } from '../database/database.ts';
import { errorMessage } from '../errors.ts';
import { failingCondition, failingRowsSql } from './check-sql.ts';
import { quoteIdent } from '../database/sql.ts';

/** What one check found. */
export interface CheckOutcome {
  check: Check;
  status: 'pass' | 'fail' | 'error';
  /** Rows that fail it (for row_count: the row count when it is out of range). */
  failingRows: number;
  message: string;
  /** A few failing rows, when asked for. */
  sample?: Array<Record<string, unknown>>;
  /** The SELECT that returns the failing rows (failed checks). */
  query?: string;
}

/**
 * Runs checks against `table`; a check whose SQL fails is an `error` outcome, never a throw. The checks whose SQL
 * duckmetrics writes itself as a row filter (`not_null`, `accepted_values`, `accepted_range`, `row_count`) are
 * counted together in one scan of the table, and `unique` is settled in the same scan when it passes (its column
 * holds as many distinct values as non-null ones); the others, a failing `unique` (whose failing rows are then
 * counted) and all of them should that scan fail, take one query each.
 */
export async function runChecks(db: Database, checks: readonly Check[], table: string, options: { sample?: number; schema?: string } = {}): Promise<CheckOutcome[]> {
  const counted = await countTogether(db, checks.filter((c) => rowFilter(c) !== undefined || c.type === 'unique'), table, options.schema);
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    const failing = failingRowsSql(check, table, options.schema);
    try {
      let row = counted.get(check);
      if (row === undefined) {
        // Analysts' own SQL (expression, sql) must be exactly one statement.
        if ((check.type === 'expression' || check.type === 'sql') && (await db.countStatements(failing)) !== 1) throw new Error('the check must be one condition or one SELECT');
        [row] = await db.all<{ n: number; row_count: number | null }>(
          check.type === 'row_count' ? `SELECT count(*) AS n, max(row_count) AS row_count FROM (${failing})` : `SELECT count(*) AS n, NULL AS row_count FROM (\n${failing}\n)`,
        );
      }
      const n = row?.n ?? 0;
      if (n === 0) {
        outcomes.push({ check, status: 'pass', failingRows: 0, message: `${check.name} passed` });
        continue;
      }
      const outcome: CheckOutcome = { check, status: 'fail', failingRows: check.type === 'row_count' ? 1 : n, message: failMessage(check, n, row?.row_count ?? null), query: failing };
      if (options.sample && check.type !== 'row_count') outcome.sample = await db.all(`SELECT * FROM (\n${failing}\n) LIMIT ${Math.trunc(options.sample)}`);
      outcomes.push(outcome);
    } catch (error) {
      outcomes.push({ check, status: 'error', failingRows: 0, message: `${check.name} could not run: ${duckdbErrorText(errorMessage(error))}` });
    }
  }
  return outcomes;
}

/** The condition a failing row meets, for the checks counted in one scan (`row_count` counts every row). */
function rowFilter(check: Check): string | undefined {
  return check.type === 'row_count' ? 'true' : failingCondition(check);
}

/**
 * One scan counting the failing rows of every row-filter check (row_count: the rows, when out of range), and for
 * each `unique` check the non-null values that repeat one before them: none means it passed; any, and it is left out
 * so that its own query counts the rows that share a value. On the example's `order_values` at 200k customers
 * (223k rows, `not_null` and `unique` on `order_id`): 14-25 ms as a scan and a query, 10-14 ms as one scan.
 */
async function countTogether(db: Database, checks: readonly Check[], table: string, schema: string | undefined): Promise<Map<Check, { n: number; row_count: number | null }>> {
  const out = new Map<Check, { n: number; row_count: number | null }>();
  if (checks.length < 2 && !checks.some((c) => c.type === 'unique')) return out;
  const t = schema === undefined ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const columns = checks.map((c, i) => {
    if (c.type === 'row_count') return `count(*) AS k${i}`;
    if (c.type === 'unique') return `count(${quoteIdent(c.column!)}) - count(DISTINCT ${quoteIdent(c.column!)}) AS k${i}`;
    return `count(*) FILTER (WHERE ${rowFilter(c)}) AS k${i}`;
  });
  let row: Record<string, number> | undefined;
  try {
    [row] = await db.all<Record<string, number>>(`SELECT ${columns.join(', ')} FROM ${t}`);
  } catch {
    return out;
  }
  checks.forEach((c, i) => {
    const n = row?.[`k${i}`] ?? 0;
    if (c.type === 'unique') {
      if (n === 0) out.set(c, { n: 0, row_count: null });
      return;
    }
    if (c.type !== 'row_count') {
      out.set(c, { n, row_count: null });
      return;
    }
    const { min, max } = c.args as { min?: number; max?: number };
    const outside = (min !== undefined && n < min) || (max !== undefined && n > max);
    out.set(c, { n: outside ? 1 : 0, row_count: outside ? n : null });
  });
  return out;
}

function failMessage(check: Check, n: number, rowCount: number | null): string {
  const rows = `${n} ${n === 1 ? 'row' : 'rows'}`;
  const column = check.column === undefined ? '' : ` on column ${check.column}`;
  switch (check.type) {
    case 'row_count':
      return `${check.name} failed: the table has ${rowCount ?? '?'} rows (${check.args.min === undefined ? '' : `min ${String(check.args.min)}`}${check.args.min !== undefined && check.args.max !== undefined ? ', ' : ''}${check.args.max === undefined ? '' : `max ${String(check.args.max)}`})`;
    case 'not_null':
      return `${check.name} failed: ${rows} with NULL${column}`;
    case 'unique':
      return `${check.name} failed: ${rows} share a value${column} with another row`;
    case 'accepted_values':
      return `${check.name} failed: ${rows} with a value${column} outside [${(check.args.values as unknown[]).join(', ')}]`;
    default:
      return `${check.name} failed: ${rows}${column}`;
  }
}
