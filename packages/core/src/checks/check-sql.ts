// The SQL of each check type: the query whose rows are the failures.
import type { Check } from './checks.ts';
import { quoteIdent, sqlValue, trimStatement } from '../database/sql.ts';

const THIS = /\{\{\s*this\s*\}\}/g;

/**
 * A SELECT returning the rows of `table` that fail `check` (for `row_count`, one row holding the count when it is
 * out of range). Identifiers are quoted and values rendered as literals; `expression` and `sql` are the analyst's
 * own SQL, wrapped so that they can only be part of one SELECT.
 */
export function failingRowsSql(check: Check, table: string, schema?: string): string {
  const t = schema === undefined ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const c = check.column === undefined ? '' : quoteIdent(check.column);
  const a = check.args;
  const condition = failingCondition(check);
  if (condition !== undefined) return `SELECT * FROM ${t} WHERE ${condition}`;
  switch (check.type) {
    case 'unique':
      return `SELECT * FROM ${t} WHERE ${c} IN (SELECT ${c} FROM ${t} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1)`;
    case 'relationships': {
      const parent = quoteIdent(String(a.to));
      const field = quoteIdent(String(a.field));
      // An anti join, not NOT EXISTS: the same rows (a NULL field in the parent matches nothing either way), and on the
      // example's order_values at 200k customers 42-51 ms against 88-121 ms.
      return `SELECT * FROM ${t} AS __child ANTI JOIN ${parent} AS __parent ON __parent.${field} = __child.${c} WHERE __child.${c} IS NOT NULL`;
    }
    case 'row_count': {
      const parts: string[] = [];
      if (a.min !== undefined) parts.push(`count(*) < ${sqlValue(a.min)}`);
      if (a.max !== undefined) parts.push(`count(*) > ${sqlValue(a.max)}`);
      return `SELECT count(*) AS row_count FROM ${t} HAVING ${parts.join(' OR ')}`;
    }
    case 'expression':
      return `SELECT * FROM ${t} WHERE NOT (\n${String(a.expression)}\n)`;
    case 'sql':
      return `SELECT * FROM (\n${trimStatement(String(a.sql).replace(THIS, t))}\n)`;
    case 'unique_combination': {
      const cols = (a.columns as string[]).map(quoteIdent);
      const match = cols.map((col) => `__dup.${col} IS NOT DISTINCT FROM __row.${col}`).join(' AND ');
      return `SELECT * FROM ${t} AS __row WHERE EXISTS (SELECT 1 FROM (SELECT ${cols.join(', ')} FROM ${t} GROUP BY ALL HAVING count(*) > 1) AS __dup WHERE ${match})`;
    }
    default:
      throw new Error(`no SQL for check type ${check.type}`);
  }
}

/**
 * The condition a failing row meets, for the checks that are a filter over the table's own rows and whose SQL
 * duckmetrics writes itself (`not_null`, `accepted_values`, `accepted_range`); undefined for the others.
 */
export function failingCondition(check: Check): string | undefined {
  const c = check.column === undefined ? '' : quoteIdent(check.column);
  const a = check.args;
  switch (check.type) {
    case 'not_null':
      return `${c} IS NULL`;
    case 'accepted_values': {
      const values = (a.values as unknown[]).map((v) => sqlValue(String(v))).join(', ');
      return `${c} IS NOT NULL AND CAST(${c} AS VARCHAR) NOT IN (${values})`;
    }
    case 'accepted_range': {
      const parts: string[] = [];
      if (a.min !== undefined) parts.push(`${c} < ${sqlValue(a.min)}`);
      if (a.max !== undefined) parts.push(`${c} > ${sqlValue(a.max)}`);
      return parts.join(' OR ');
    }
    default:
      return undefined;
  }
}

/** Columns a check names in the metric's own table. */
export function checkedColumns(check: Check): string[] {
  if (check.type === 'unique_combination') return check.args.columns as string[];
  return check.column === undefined ? [] : [check.column];
}
