// The SQL of one metric query, from checked parts (DuckDB-written expressions, quoted names): pure, no database.
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import type { TimeGrain } from './semantic-model.ts';

/** How a metric query's current values are compared with earlier ones. */
export type QueryCompare = 'previous_period' | 'previous_year';

/** Everything the SQL of a metric query is made of, each part already checked. */
export interface MetricQueryParts {
  /** The metric's table. */
  table: string;
  /** Output name and SQL (as DuckDB wrote it back from its parse) of each measure. */
  measures: ReadonlyArray<{ name: string; sql: string }>;
  /** Dimension columns to group by, in order. */
  by: readonly string[];
  /** The time column; with `grain`, rows are per period and the output column is named after the grain. */
  time?: string;
  grain?: TimeGrain;
  /** Inclusive lower and exclusive upper bound on the time column, as checked timestamp text. */
  from?: string;
  to?: string;
  /** A boolean expression, as DuckDB wrote it back from its parse. */
  where?: string;
  compare?: QueryCompare;
}

const STEP: Record<TimeGrain, string> = { day: 'INTERVAL 1 DAY', week: 'INTERVAL 7 DAY', month: 'INTERVAL 1 MONTH', quarter: 'INTERVAL 3 MONTH', year: 'INTERVAL 1 YEAR' };

/** How far back `compare` looks at each grain (a year of weeks is 52 weeks, so a Monday stays a Monday). */
export function compareShift(grain: TimeGrain, compare: QueryCompare): string {
  if (compare === 'previous_period') return STEP[grain];
  return grain === 'week' ? 'INTERVAL 364 DAY' : 'INTERVAL 1 YEAR';
}

/**
 * The SELECT answering a metric query. With a grain: the measures per period (and dimensions) over a generated
 * series of periods, so periods without rows appear with NULL measures; ordered by time, then dimensions.
 *
 * @example
 * ```ts
 * metricQuerySql({ table: 'orders', measures: [{ name: 'revenue', sql: 'sum(order_value)' }], by: [], time: 'at', grain: 'month' });
 * ```
 */
export function metricQuerySql(parts: MetricQueryParts): string {
  const q = quoteIdent;
  const ts = (text: string): string => `CAST(${quoteLiteral(text)} AS TIMESTAMP)`;
  const dims = parts.by.map(q);
  const filters = (lower: string | undefined): string => {
    const conditions = [
      ...(parts.time !== undefined && lower !== undefined ? [`${q(parts.time)} >= ${lower}`] : []),
      ...(parts.time !== undefined && parts.to !== undefined ? [`${q(parts.time)} < ${ts(parts.to)}`] : []),
      ...(parts.where !== undefined ? [`(${parts.where})`] : []),
    ];
    return conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`;
  };
  const measures = parts.measures.map((m) => `${m.sql} AS ${q(m.name)}`);
  if (parts.grain === undefined || parts.time === undefined) {
    const select = [...dims, ...measures].join(',\n       ');
    return `SELECT ${select}\nFROM ${q(parts.table)}${filters(parts.from === undefined ? undefined : ts(parts.from))}${dims.length ? `\nGROUP BY ${dims.join(', ')}\nORDER BY ${dims.join(', ')}` : ''}`;
  }
  const grain = parts.grain;
  const period = q(grain);
  const bucket = `CAST(date_trunc(${quoteLiteral(grain)}, ${q(parts.time)}) AS DATE)`;
  const aggregate = (lower: string | undefined): string =>
    // Grouped by position: the period's name (`month`) may also be a column of the table, which GROUP BY "month" would mean.
    `SELECT ${[`${bucket} AS ${period}`, ...dims, ...measures].join(', ')}\n  FROM ${q(parts.table)}${filters(lower).replace(/\n/g, '\n  ')}\n  GROUP BY ${[period, ...dims].map((_, i) => i + 1).join(', ')}`;
  const start = parts.from === undefined ? `(SELECT min(${period}) FROM facts)` : `date_trunc(${quoteLiteral(grain)}, ${ts(parts.from)})`;
  const end = parts.to === undefined ? `(SELECT max(${period}) FROM facts) + ${STEP[grain]}` : ts(parts.to);
  const ctes = [
    `facts AS (\n  ${aggregate(parts.from === undefined ? undefined : ts(parts.from))}\n)`,
    `periods AS (\n  SELECT CAST(range AS DATE) AS ${period} FROM range(CAST(${start} AS TIMESTAMP), CAST(${end} AS TIMESTAMP), ${STEP[grain]})\n)`,
  ];
  const shift = parts.compare === undefined ? undefined : compareShift(grain, parts.compare);
  if (shift !== undefined) {
    const lower = parts.from === undefined ? undefined : `date_trunc(${quoteLiteral(grain)}, ${ts(parts.from)}) - ${shift}`;
    ctes.push(`previous AS (\n  ${aggregate(lower)}\n)`);
  }
  if (dims.length > 0) {
    ctes.push(`combinations AS (\n  SELECT DISTINCT ${dims.join(', ')} FROM ${shift === undefined ? 'facts' : '(SELECT * FROM facts UNION ALL SELECT * FROM previous)'}\n)`);
  }
  const sameDims = (alias: string): string => dims.map((d) => ` AND ${alias}.${d} IS NOT DISTINCT FROM g.${d}`).join('');
  const columns = [`g.${period}`, ...dims.map((d) => `g.${d}`), ...parts.measures.map((m) => `f.${q(m.name)}`)];
  if (shift !== undefined) {
    for (const m of parts.measures) columns.push(`p.${q(m.name)} AS ${q(`${m.name}_previous`)}`, `f.${q(m.name)} - p.${q(m.name)} AS ${q(`${m.name}_change`)}`);
  }
  return [
    `WITH ${ctes.join(',\n')}`,
    `SELECT ${columns.join(', ')}`,
    `FROM ${dims.length > 0 ? '(SELECT * FROM periods CROSS JOIN combinations)' : 'periods'} AS g`,
    `LEFT JOIN facts AS f ON f.${period} = g.${period}${sameDims('f')}`,
    ...(shift === undefined ? [] : [`LEFT JOIN previous AS p ON p.${period} = CAST(g.${period} - ${shift} AS DATE)${sameDims('p')}`]),
    `ORDER BY ${[`g.${period}`, ...dims.map((d) => `g.${d}`)].join(', ')}`,
  ].join('\n');
}
