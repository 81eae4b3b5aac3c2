// A query's `--where`: one boolean expression over dimensions and the time column, parsed by DuckDB and held to the sandbox.
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import { DuckmetricsError } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { addSandboxRules } from '../project/sandbox-rules.ts';
import { parseMetricSql } from '../project/sql-parse.ts';
import { columnName, expressionSql, mapExpression, parseExpressions } from './expression-parse.ts';
import { AGGREGATES } from './semantic-check.ts';

const HINT = 'write one boolean expression over the dimensions and the time column, e.g. --where "customer_state = \'SP\'"';

/**
 * Checks `where` and returns it as DuckDB writes it back from its parse: exactly one expression (no second statement,
 * subquery, aggregate or window), reading only `allowed` columns, calling only functions on the sandbox's allow-list.
 * Anything else is `QUERY_INVALID` (or `SANDBOX`) saying why.
 */
export async function checkWhere(db: Database, metric: Metric, where: string, allowed: readonly string[], options: { sandbox: boolean }): Promise<string> {
  const refuse = (message: string, hint = HINT): never => {
    throw new DuckmetricsError('QUERY_INVALID', `--where: ${message}`, { hint });
  };
  if (where.trim() === '') refuse('is empty');
  const [parsed] = await parseExpressions(db, [where]);
  if (!parsed || 'problem' in parsed) return refuse(parsed?.problem ?? 'cannot be parsed');
  const lower = allowed.map((a) => a.toLowerCase());
  mapExpression(parsed.node, AGGREGATES, (n) => {
    const name = columnName(n);
    if (n.class === 'SUBQUERY') refuse('a subquery is not allowed', 'filter on dimensions and the time column only');
    if (n.class === 'WINDOW') refuse('a window function is not allowed');
    if (n.class === 'FUNCTION' && AGGREGATES.has(String(n.function_name).toLowerCase())) refuse(`an aggregate (${String(n.function_name)}) is not allowed: --where filters rows before the measures are computed`);
    if (n.class === 'STAR' || n.class === 'COLUMNS' || n.class === 'PARAMETER' || n.class === 'LAMBDA') refuse(`${String(n.class).toLowerCase()} is not allowed`);
    if (n.class === 'COLUMN_REF' && name === undefined) refuse(`write columns by their name alone, not ${(n.column_names as string[]).join('.')}`);
    if (name !== undefined && !lower.includes(name.toLowerCase())) {
      const s = didYouMean(name, allowed);
      refuse(`"${name}" is not a dimension or the time column of ${metric.name}`, `${s ? `did you mean "${s}"? ` : ''}--where may read ${allowed.join(', ') || 'no column (the metric declares no dimensions or time)'}`);
    }
    return undefined;
  });
  if (options.sandbox) {
    const pseudo: Metric = { ...metric, sql: `SELECT ${where}`, checks: [] };
    const found: Diagnostic[] = [];
    await addSandboxRules(db, [pseudo], await parseMetricSql(db, [pseudo]), () => found);
    const [refused] = found;
    if (refused) throw new DuckmetricsError('SANDBOX', `--where: ${refused.message}`, { ...(refused.hint === undefined ? {} : { hint: refused.hint }) });
  }
  const [sql] = await expressionSql(db, [parsed]);
  return sql!;
}
