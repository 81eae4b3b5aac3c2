// The queryMetric verb: measures of one metric by dimensions and a time grain, as one generated, sandboxed SELECT.
import { duckdbErrorText } from '../database/database.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { Session } from '../engine/session.ts';
import { DuckmetricsError, errorMessage } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { metricQuerySql } from '../semantic/query-sql.ts';
import type { QueryCompare } from '../semantic/query-sql.ts';
import { compileSemantics } from '../semantic/semantic-check.ts';
import type { TypedColumn } from '../semantic/semantic-check.ts';
import { TIME_GRAINS } from '../semantic/semantic-model.ts';
import type { TimeGrain } from '../semantic/semantic-model.ts';
import { checkWhere } from '../semantic/where-check.ts';
import { readMetrics } from './describe-metrics.ts';
import { selectRows } from './select.ts';
import { readSchemaTables } from '../database/introspection.ts';
import { SNAPSHOT_SCHEMA } from '../project/namespace.ts';

/** What `engine.queryMetric()` is asked. Every field but `metric` is optional. */
export interface QueryMetricOptions {
  /** The metric's name. */
  metric: string;
  /** Measures to compute, in order (default: all of the metric's). */
  measures?: string[];
  /** Dimensions to group by. */
  by?: string[];
  /** One row per period of this grain (needs the metric's `time`). */
  grain?: TimeGrain;
  /** Inclusive lower bound on the time column (a date or timestamp). */
  from?: string;
  /** Exclusive upper bound on the time column. */
  to?: string;
  /** One boolean expression over the dimensions and the time column. */
  where?: string;
  /** Adds `<measure>_previous` and `<measure>_change` for every measure (needs `grain`). */
  compare?: QueryCompare;
  /** At most this many rows (default 1000). */
  limit?: number;
  /** Compute the measures over the metric as it was published at this time (its versions in `snapshots`; docs/snapshots.md). */
  asOf?: string | Date;
}

/** What `engine.queryMetric()` returns (and `duckmetrics query <metric> --json` prints). */
export interface QueryMetricResult {
  ok: true;
  metric: string;
  /** The SELECT that ran, generated from DuckDB's parse of the measures and `where`. */
  sql: string;
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
  /** True when more than `limit` rows exist. */
  truncated: boolean;
  /** With `asOf`: the time as DuckDB read it, and the metrics read from their versions. */
  asOf?: { time: string; replaced: string[] };
}

const COMPARES: readonly QueryCompare[] = ['previous_period', 'previous_year'];
const compiledBySession = new WeakMap<Session, Map<string, Awaited<ReturnType<typeof compileSemantics>>>>();

/** Finds a metric by name (case-insensitively), or throws `METRIC_NOT_FOUND` with a did-you-mean. */
export function findMetric(metrics: readonly Metric[], name: string): Metric {
  const metric = metrics.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (metric) return metric;
  const s = didYouMean(name, metrics.map((m) => m.name));
  throw new DuckmetricsError('METRIC_NOT_FOUND', `no metric is named "${name}"`, { hint: s ? `did you mean "${s}"?` : 'duckmetrics list shows the metrics' });
}

/** The columns of a metric's table, or `QUERY_INVALID` when it was never built. */
export async function tableColumns(session: Session, metric: Metric): Promise<TypedColumn[]> {
  const db = await session.sandboxedDb();
  try {
    return await db.all<TypedColumn>(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE ${quoteIdent(metric.name)})`);
  } catch (error) {
    throw new DuckmetricsError('QUERY_INVALID', `metric ${metric.name} has no table yet: ${duckdbErrorText(errorMessage(error)).split("\n")[0]}`, { file: metric.file, hint: `build it first: duckmetrics run --select ${metric.name}` });
  }
}

/**
 * Answers a metric query: checks every option against the metric's semantic model and its table (problems are one
 * `QUERY_INVALID` naming all of them), writes the SELECT from DuckDB's parse, and runs it through `engine.select`'s
 * read-only, sandboxed path.
 */
export async function queryMetric(session: Session, options: QueryMetricOptions, metrics?: readonly Metric[]): Promise<QueryMetricResult> {
  const metric = findMetric(metrics ?? (await readMetrics(session)), options.metric);
  const measuresDeclared = metric.semantic?.measures ?? [];
  if (measuresDeclared.length === 0) throw new DuckmetricsError('QUERY_INVALID', `metric ${metric.name} declares no measures`, { file: metric.file, hint: 'add measures: { revenue: sum(order_value) } to its file (see docs/querying-metrics.md), or query its table with duckmetrics query "SELECT …"' });
  const config = await session.config();
  const db = await session.sandboxedDb();
  const columns = await tableColumns(session, metric);
  // An engine answering many queries checks an unchanged model against an unchanged table once.
  const key = JSON.stringify([metric.file, metric.semantic, columns, config.sandbox]);
  const cache = compiledBySession.get(session) ?? new Map<string, Awaited<ReturnType<typeof compileSemantics>>>();
  compiledBySession.set(session, cache);
  const checked = cache.get(key) ?? (await compileSemantics(db, metric, columns, { sandbox: config.sandbox }));
  cache.set(key, checked);
  const { compiled, diagnostics } = checked;
  if (!compiled) {
    const [first] = diagnostics;
    throw new DuckmetricsError('QUERY_INVALID', `metric ${metric.name} is not valid for querying: ${first!.message}`, { file: metric.file, hint: `${first!.hint ?? ''}; duckmetrics validate shows every problem at its line`.replace(/^; /, '') });
  }
  const problems: Array<{ message: string; hint: string }> = [];
  const problem = (message: string, hint: string): void => void problems.push({ message, hint });
  const declared = measuresDeclared.map((m) => m.name);
  const measures = (options.measures?.length ? options.measures : declared).flatMap((name) => {
    const found = compiled.measures.get(name.toLowerCase());
    if (found) return [{ name: found.measure.name, sql: found.sql }];
    const s = didYouMean(name, declared);
    problem(`${metric.name} has no measure "${name}"`, `${s ? `did you mean "${s}"? ` : ''}its measures are ${declared.join(', ')}`);
    return [];
  });
  const dimensionNames = compiled.dimensions.map((d) => d.name);
  const by = (options.by ?? []).flatMap((name) => {
    const found = compiled.dimensions.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (found) return [found.name];
    const s = didYouMean(name, dimensionNames);
    problem(`${metric.name} has no dimension "${name}"`, `${s ? `did you mean "${s}"? ` : ''}its dimensions are ${dimensionNames.join(', ') || '(none declared)'}`);
    return [];
  });
  if (new Set(by.map((b) => b.toLowerCase())).size !== by.length) problem('--by names a dimension twice', 'name each dimension once');
  const grain = options.grain;
  if (grain !== undefined && !TIME_GRAINS.includes(grain)) {
    const s = didYouMean(grain, TIME_GRAINS);
    problem(`--grain must be one of ${TIME_GRAINS.join(', ')}, not "${grain}"`, s ? `did you mean "${s}"?` : '--grain month');
  }
  const time = compiled.time?.name;
  if (time === undefined && (grain !== undefined || options.from !== undefined || options.to !== undefined)) {
    problem(`metric ${metric.name} declares no time column, so --grain, --from and --to do not apply`, 'add time: <a DATE or TIMESTAMP column> to its file');
  }
  if (options.compare !== undefined && !COMPARES.includes(options.compare)) problem(`--compare must be previous_period or previous_year, not "${options.compare}"`, '--compare previous_period');
  else if (options.compare !== undefined && grain === undefined) problem('--compare needs --grain: it compares each period with an earlier one', '--grain month --compare previous_period');
  if (grain !== undefined && [...by, ...measures.map((m) => m.name)].some((n) => n.toLowerCase() === grain)) problem(`the time column is named "${grain}", like a dimension or measure of the query`, 'rename that dimension or measure in the metric');
  const bounds = await checkBounds(db, options.from, options.to, problem);
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 0) problem(`limit must be a whole number of 0 or more, not ${String(limit)}`, 'limit: 100');
  if (problems.length > 0) throw new DuckmetricsError('QUERY_INVALID', problems.map((p) => p.message).join('; '), { hint: problems.map((p) => p.hint).join('; ') });
  const where = options.where === undefined ? undefined : await checkWhere(db, metric, options.where, [...dimensionNames, ...(time === undefined ? [] : [time])], { sandbox: config.sandbox });
  if (where !== undefined) await checkBoolean(session, metric, where);
  const sql = metricQuerySql({
    table: metric.name, measures, by,
    ...(time === undefined ? {} : { time }), ...(grain === undefined ? {} : { grain }),
    ...bounds, ...(where === undefined ? {} : { where }),
    ...(options.compare === undefined ? {} : { compare: options.compare }),
  });
  if (options.asOf !== undefined && !(await readSchemaTables(db, SNAPSHOT_SCHEMA)).has(metric.name.toLowerCase())) {
    throw new DuckmetricsError('SNAPSHOT', `${metric.name} has no versions to query at a time (there is no ${SNAPSHOT_SCHEMA}.${metric.name})`, { hint: `add snapshot: true (or snapshot: { key: [<columns>] }) to ${metric.file}; every build after that is kept (docs/snapshots.md)` });
  }
  const result = await selectRows(session, sql, { limit, ...(options.asOf === undefined ? {} : { asOf: options.asOf }) });
  const dates = result.columns.filter((c) => c.type === 'DATE').map((c) => c.name);
  for (const row of result.rows) for (const d of dates) if (row[d] instanceof Date) row[d] = (row[d] as Date).toISOString().slice(0, 10);
  return { ok: true, metric: metric.name, sql, columns: result.columns, rows: result.rows, truncated: result.truncated, ...(result.asOf ? { asOf: result.asOf } : {}) };
}

/** `from` and `to` as DuckDB reads them as timestamps; a value it cannot read is a problem. */
async function checkBounds(db: Awaited<ReturnType<Session['sandboxedDb']>>, from: string | undefined, to: string | undefined, problem: (message: string, hint: string) => void): Promise<{ from?: string; to?: string }> {
  const given = [['from', from], ['to', to]].filter((b): b is [string, string] => b[1] !== undefined);
  if (given.length === 0) return {};
  const [row] = await db.all<Record<string, string | null>>(`SELECT ${given.map(([k, v]) => `CAST(TRY_CAST(${quoteLiteral(v)} AS TIMESTAMP) AS VARCHAR) AS ${k}`).join(', ')}`);
  const out: { from?: string; to?: string } = {};
  for (const [key, value] of given) {
    const read = row?.[key];
    if (read === null || read === undefined) problem(`--${key} must be a date or timestamp, not "${value}"`, `--${key} 2018-01-01`);
    else out[key as 'from' | 'to'] = read;
  }
  if (out.from !== undefined && out.to !== undefined && out.from >= out.to) problem(`--from (${from}) must be before --to (${to}): --from is inclusive, --to exclusive`, '--from 2018-01-01 --to 2018-07-01');
  return out;
}

/** Refuses a `where` that DuckDB does not type as BOOLEAN against the metric's table. */
async function checkBoolean(session: Session, metric: Metric, where: string): Promise<void> {
  const db = await session.sandboxedDb();
  let type: string | undefined;
  try {
    [{ type } = { type: undefined }] = await db.all<{ type: string }>(`SELECT column_type AS type FROM (DESCRIBE SELECT (${where}) AS w FROM ${quoteIdent(metric.name)})`);
  } catch (error) {
    throw new DuckmetricsError('QUERY_INVALID', `--where: ${duckdbErrorText(errorMessage(error))}`, { hint: 'write one boolean expression over the dimensions and the time column' });
  }
  if (type !== 'BOOLEAN') throw new DuckmetricsError('QUERY_INVALID', `--where must be a boolean expression; ${where} is ${type}`, { hint: "compare it with something, e.g. customer_state = 'SP'" });
}
