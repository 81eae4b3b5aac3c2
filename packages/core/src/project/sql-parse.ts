// DuckDB's parse of every metric's SQL in one query: the tables and functions each uses, a position-free AST, the statement count.
import type { Check } from '../checks/checks.ts';
import { failingRowsSql } from '../checks/check-sql.ts';
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';
import { quoteLiteral } from '../database/sql.ts';
import { AGGREGATE_BY_NAME } from './allowed-functions.ts';
import { sha256 } from './hashing.ts';

/** A table a metric's SQL reads, with where it is named in the SQL. */
export interface TableReference {
  /** Table name as written. */
  name: string;
  /** Schema, when the SQL qualified it (`other.t`). */
  schema?: string;
  /** Catalog (database), when the SQL qualified it (`db.main.t`). */
  catalog?: string;
  /** 0-based offset of the reference in the SQL, when DuckDB reported it. */
  offset?: number;
}

/**
 * A function the SQL calls, as DuckDB's parser wrote it down: scalar functions, aggregates, window functions,
 * operators (`+`, `~~` for LIKE), the functions DuckDB writes for syntax (`main.list_value` for `[1, 2]`,
 * `main.date_part` for `EXTRACT`), and table functions in FROM / JOIN.
 */
export interface FunctionCall {
  /** The name, lower case as DuckDB's parser gives it (`read_csv` for `"Read_CSV"`). */
  name: string;
  /** `table` for a table function in FROM / JOIN, `scalar` for any other call. */
  kind: 'scalar' | 'table';
  /** Schema and catalog, when the SQL (or DuckDB, for syntax) qualified the name. */
  schema?: string;
  catalog?: string;
  /**
   * For `list_aggregate(list, 'name')` and its aliases: the aggregate named by the second argument, lower case,
   * or null when that argument is not a string literal.
   */
  aggregate?: string | null;
  /** 0-based offset of the call in the SQL, when DuckDB reported it. */
  offset?: number;
}

/** A `SUMMARIZE`, `DESCRIBE` or `SHOW`, which DuckDB parses as a SELECT over a `SHOW_REF`. */
export interface ShowReference {
  /** Which of the three (`SHOW tbl` is a `DESCRIBE`). */
  keyword: 'SUMMARIZE' | 'DESCRIBE' | 'SHOW';
  /** True when it is the whole statement; false when it sits inside a query (`FROM (DESCRIBE t)`). */
  statement: boolean;
}

/** What DuckDB's parser says about one metric's SQL. */
export interface ParsedSql {
  /** Base tables read, CTE names removed. Empty when the SQL does not parse as a SELECT. */
  tables: TableReference[];
  /** The AST without positions (stable across white space and comment edits), or undefined on a parse error. */
  normalized?: string;
  /**
   * sha256 of `normalized`: what skip-unchanged compares. A parse restored from the project cache has only this
   * (the AST itself is not kept there).
   */
  normalizedHash?: string;
  /**
   * Statements DuckDB's parser found when they are all queries; `not-select` when some statement is not a query
   * (DuckDB serializes only SELECTs), `parse-error` when the SQL does not parse.
   */
  statements: number | 'not-select' | 'parse-error';
  /** Every function call, in the order of the AST. Empty when the SQL does not parse as a SELECT. */
  calls: FunctionCall[];
  /** `SUMMARIZE` / `DESCRIBE` / `SHOW` in the SQL. */
  shows: ShowReference[];
  /** The parse of the metric's `expression` and `sql` checks, as the SELECT each becomes. */
  checks: Map<Check, ParsedSql>;
}

const NO_LOCATION = '18446744073709551615';

/**
 * Parses every metric's SQL, and the SQL of its `expression` and `sql` checks, in one DuckDB query
 * (`json_serialize_sql`), and collects from each AST the `BASE_TABLE` references (dropping names bound by a CTE),
 * the function calls and any `SUMMARIZE` / `DESCRIBE` / `SHOW`.
 */
export async function parseMetricSql(db: Database, metrics: readonly Metric[]): Promise<Map<Metric, ParsedSql>> {
  const out = new Map<Metric, ParsedSql>();
  if (metrics.length === 0) return out;
  const jobs: Array<{ metric: Metric; check?: Check; sql: string }> = [];
  for (const metric of metrics) {
    jobs.push({ metric, sql: metric.sql });
    for (const check of metric.checks) if (check.type === 'expression' || check.type === 'sql') jobs.push({ metric, check, sql: failingRowsSql(check, metric.name) });
  }
  const list = jobs.map((j) => quoteLiteral(j.sql)).join(', ');
  const rows = await db.all<{ i: number; ast: string }>(
    `SELECT i::INTEGER AS i, json_serialize_sql(s) AS ast FROM (SELECT unnest([${list}]) AS s, generate_subscripts([${list}], 1) AS i)`,
  );
  const parsedJobs = new Map<number, ParsedSql>(rows.map((row) => [row.i - 1, readAst(row.ast)]));
  jobs.forEach((job, i) => {
    const parsed = parsedJobs.get(i)!;
    if (job.check) out.get(job.metric)!.checks.set(job.check, parsed);
    else out.set(job.metric, parsed);
  });
  return out;
}

const SHOW_KEYWORDS: Record<string, ShowReference['keyword']> = { SUMMARY: 'SUMMARIZE', DESCRIBE: 'DESCRIBE' };

function readAst(json: string): ParsedSql {
  // query_location values are 64-bit: keep them exact by reading them as strings.
  const ast = JSON.parse(json.replace(/"query_location":(\d+)/g, '"query_location":"$1"')) as { error?: boolean; error_type?: string; statements?: unknown[] };
  if (ast.error || !ast.statements) return { tables: [], calls: [], shows: [], checks: new Map(), statements: ast.error_type === 'not implemented' ? 'not-select' : 'parse-error' };
  const tables: TableReference[] = [];
  const calls: FunctionCall[] = [];
  const shows: ShowReference[] = [];
  const ctes = new Set<string>();
  const tableFunctions = new Set<unknown>();
  // DuckDB writes SUMMARIZE t as SELECT * FROM SHOW_REF: a SHOW_REF right under a statement is the statement.
  const statementShows = new Set(ast.statements.map((s) => (s as { node?: { from_table?: unknown } }).node?.from_table));
  walk(ast.statements, (node) => {
    const map = (node.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
    for (const entry of map ?? []) ctes.add(entry.key.toLowerCase());
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      const ref: TableReference = { name: node.table_name };
      if (typeof node.schema_name === 'string' && node.schema_name !== '') ref.schema = node.schema_name;
      if (typeof node.catalog_name === 'string' && node.catalog_name !== '') ref.catalog = node.catalog_name;
      const offset = offsetOf(node);
      if (offset !== undefined) ref.offset = offset;
      tables.push(ref);
    } else if (node.type === 'TABLE_FUNCTION') {
      tableFunctions.add(node.function);
    } else if (node.type === 'SHOW_REF') {
      shows.push({ keyword: SHOW_KEYWORDS[String(node.show_type)] ?? 'SHOW', statement: statementShows.has(node) });
    } else if ((node.class === 'FUNCTION' || node.class === 'WINDOW') && typeof node.function_name === 'string') {
      calls.push(functionCall(node, tableFunctions.has(node) ? 'table' : 'scalar'));
    }
  });
  const normalized = JSON.stringify(ast.statements, (key, value: unknown) => (key === 'query_location' ? undefined : value));
  return {
    tables: tables.filter((t) => t.schema !== undefined || !ctes.has(t.name.toLowerCase())),
    calls, shows, checks: new Map(), normalized, normalizedHash: sha256(normalized), statements: ast.statements.length,
  };
}

function functionCall(node: Record<string, unknown>, kind: FunctionCall['kind']): FunctionCall {
  const call: FunctionCall = { name: String(node.function_name).toLowerCase(), kind };
  if (typeof node.schema === 'string' && node.schema !== '') call.schema = node.schema;
  if (typeof node.catalog === 'string' && node.catalog !== '') call.catalog = node.catalog;
  if (AGGREGATE_BY_NAME.has(call.name)) {
    const named = (node.children as Array<{ class?: string; value?: { is_null?: boolean; value?: unknown } }> | undefined)?.[1];
    call.aggregate = named?.class === 'CONSTANT' && typeof named.value?.value === 'string' ? named.value.value.toLowerCase() : null;
  }
  const offset = offsetOf(node);
  if (offset !== undefined) call.offset = offset;
  return call;
}

function offsetOf(node: Record<string, unknown>): number | undefined {
  const location = node.query_location as string | undefined;
  return location === undefined || location === NO_LOCATION ? undefined : Number(location);
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child, visit);
  }
}
