// The columns a preview's rows are matched by: `unique_key`, else a `unique` check's column, else a `unique_combination`'s.
import type { Metric } from '../metrics/metric.ts';

/**
 * The key `duckmetrics plan` matches the rows of a previewed table with the published one by: the metric's
 * `unique_key`, else the column of its first `unique` check, else the columns of its first `unique_combination`
 * check, else null (rows are then compared whole, as multisets).
 *
 * @example
 * ```ts
 * diffKey(metric); // ['customer_id']
 * ```
 */
export function diffKey(metric: Pick<Metric, 'uniqueKey' | 'checks'>): string[] | null {
  if (metric.uniqueKey.length > 0) return [...metric.uniqueKey];
  const unique = metric.checks.find((c) => c.type === 'unique' && c.column !== undefined);
  if (unique) return [unique.column!];
  const combination = metric.checks.find((c) => c.type === 'unique_combination' && Array.isArray(c.args.columns) && c.args.columns.length > 0);
  return combination ? [...(combination.args.columns as string[])] : null;
}
