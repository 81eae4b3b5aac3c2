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

/**
 * Orders metrics so every metric comes after the metrics it reads (Kahn's algorithm; ties by name, so the order
 * does not depend on file names). Metrics on a cycle are left out and returned as `cycles`, each as a path
 * `[a, b, a]`.
 */
export function topologicalOrder(metrics: readonly Metric[], upstream: Map<Metric, Metric[]>): { order: Metric[]; cycles: Map<Metric, Metric[]> } {
  const downstream = new Map<Metric, Metric[]>(metrics.map((m) => [m, []]));
  const waiting = new Map<Metric, number>();
  for (const m of metrics) {
    const ups = upstream.get(m) ?? [];
    waiting.set(m, ups.length);
    for (const u of ups) downstream.get(u)?.push(m);
  }
  const byName = (a: Metric, b: Metric): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ready = metrics.filter((m) => waiting.get(m) === 0).sort(byName);
  const order: Metric[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    let added = false;
    for (const d of downstream.get(next) ?? []) {
      const left = waiting.get(d)! - 1;
      waiting.set(d, left);
      if (left === 0) {
        ready.push(d);
        added = true;
      }
    }
    if (added) ready.sort(byName);
  }
  const cycles = new Map<Metric, Metric[]>();
  const stuck = new Set(metrics.filter((m) => !order.includes(m)));
  for (const m of stuck) {
    const path = cycleThrough(m, upstream, stuck);
    if (path) cycles.set(m, path);
  }
  // Metrics downstream of a cycle but not on one stay out of `order`; the caller reports them as blocked.
  return { order, cycles };
}

/** A shortest path m → … → m along "reads from" edges inside `within`, or undefined when m is not on a cycle. */
function cycleThrough(start: Metric, upstream: Map<Metric, Metric[]>, within: Set<Metric>): Metric[] | undefined {
  const previous = new Map<Metric, Metric>();
  const queue: Metric[] = [start];
  const seen = new Set<Metric>();
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of upstream.get(current) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: Metric | undefined = current; at && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        // `path` follows "reads from" edges; show it in the direction data flows.
        return [...path, start].reverse();
      }
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, current);
      queue.push(next);
    }
  }
  return undefined;
}
