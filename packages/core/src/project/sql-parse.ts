// DuckDB's parse of every metric's SQL in one query: the tables each reads, a position-free AST, the statement count.
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';
import { quoteLiteral } from '../database/sql.ts';

/** A table a metric's SQL reads, with where it is named in the SQL. */
export interface TableReference {
  /** Table name as written. */
  name: string;
  /** Schema, when the SQL qualified it (`other.t`). */
  schema?: string;
  /** 0-based offset of the reference in the SQL, when DuckDB reported it. */
  offset?: number;
}

/** What DuckDB's parser says about one metric's SQL. */
export interface ParsedSql {
  /** Base tables read, CTE names removed. Empty when the SQL does not parse as a SELECT. */
  tables: TableReference[];
  /** The AST without positions (stable across white space and comment edits), or undefined on a parse error. */
  normalized?: string;
  /**
   * Statements DuckDB's parser found when they are all queries; `not-select` when some statement is not a query
   * (DuckDB serializes only SELECTs), `parse-error` when the SQL does not parse.
   */
  statements: number | 'not-select' | 'parse-error';
}

const NO_LOCATION = '18446744073709551615';

/**
 * Parses every metric's SQL in one DuckDB query (`json_serialize_sql`) and collects the `BASE_TABLE` references
 * of each, dropping names bound by a CTE.
 */
export async function parseMetricSql(db: Database, metrics: readonly Metric[]): Promise<Map<Metric, ParsedSql>> {
  const out = new Map<Metric, ParsedSql>();
  if (metrics.length === 0) return out;
  const list = metrics.map((m) => quoteLiteral(m.sql)).join(', ');
  const rows = await db.all<{ i: number; ast: string }>(
    `SELECT i::INTEGER AS i, json_serialize_sql(s) AS ast FROM (SELECT unnest([${list}]) AS s, generate_subscripts([${list}], 1) AS i)`,
  );
  for (const row of rows) {
    const metric = metrics[row.i - 1]!;
    out.set(metric, readAst(row.ast));
  }
  return out;
}

function readAst(json: string): ParsedSql {
  // query_location values are 64-bit: keep them exact by reading them as strings.
  const ast = JSON.parse(json.replace(/"query_location":(\d+)/g, '"query_location":"$1"')) as { error?: boolean; error_type?: string; statements?: unknown[] };
  if (ast.error || !ast.statements) return { tables: [], statements: ast.error_type === 'not implemented' ? 'not-select' : 'parse-error' };
  const tables: TableReference[] = [];
  const ctes = new Set<string>();
  walk(ast.statements, (node) => {
    const map = (node.cte_map as { map?: Array<{ key: string }> } | undefined)?.map;
    for (const entry of map ?? []) ctes.add(entry.key.toLowerCase());
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
      const ref: TableReference = { name: node.table_name };
      if (typeof node.schema_name === 'string' && node.schema_name !== '') ref.schema = node.schema_name;
      const location = node.query_location as string | undefined;
      if (location !== undefined && location !== NO_LOCATION) ref.offset = Number(location);
      tables.push(ref);
    }
  });
  const normalized = JSON.stringify(ast.statements, (key, value: unknown) => (key === 'query_location' ? undefined : value));
  return { tables: tables.filter((t) => t.schema !== undefined || !ctes.has(t.name.toLowerCase())), normalized, statements: ast.statements.length };
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child, visit);
  }
}
