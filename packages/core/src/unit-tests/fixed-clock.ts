// A metric's SQL with the clock fixed: `now()`, `current_date` and friends replaced, through DuckDB's own parser.
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';

/** What each clock function becomes, as a cast of the fixed TIMESTAMPTZ (evaluated in the session time zone). */
const CLOCK: Record<string, string> = {
  now: 'TIMESTAMPTZ',
  current_timestamp: 'TIMESTAMPTZ',
  get_current_timestamp: 'TIMESTAMPTZ',
  transaction_timestamp: 'TIMESTAMPTZ',
  current_date: 'DATE',
  today: 'DATE',
  current_time: 'TIMETZ',
  get_current_time: 'TIMETZ',
  localtimestamp: 'TIMESTAMP',
  current_localtimestamp: 'TIMESTAMP',
  localtime: 'TIME',
  current_localtime: 'TIME',
};
/** The forms DuckDB's parser writes as a column reference (`SELECT current_date`). */
const KEYWORDS = new Set(['current_date', 'current_timestamp', 'current_time', 'localtimestamp', 'localtime']);

type Node = Record<string, unknown>;

/**
 * Rewrites `sql` so every clock call returns `now` (a timestamp; without a zone it is read in the session time
 * zone): DuckDB serializes the statement (`json_serialize_sql`), the clock nodes are replaced by casts of the
 * literal, and DuckDB writes the SQL back (`json_deserialize_sql`). A column that is really named `current_date`
 * is taken for the clock too. Throws DuckDB's error when `now` is not a timestamp.
 */
export async function withFixedClock(db: Database, sql: string, now: string): Promise<string> {
  const literal = quoteLiteral(now);
  await db.all(`SELECT CAST(${literal} AS TIMESTAMPTZ)`);
  const types = [...new Set(Object.values(CLOCK))];
  const template = `SELECT ${types.map((t) => `CAST(CAST(${literal} AS TIMESTAMPTZ) AS ${t})`).join(', ')}`;
  const [row] = await db.all<{ ast: string; template: string }>(`SELECT json_serialize_sql(${quoteLiteral(sql)}) AS ast, json_serialize_sql(${quoteLiteral(template)}) AS template`);
  const ast = JSON.parse(row!.ast) as Node;
  if (ast.error) return sql;
  const replacement = new Map<string, Node>();
  const list = ((JSON.parse(row!.template) as { statements: Array<{ node: { select_list: Node[] } }> }).statements[0]!.node.select_list);
  types.forEach((t, i) => replacement.set(t, list[i]!));

  let changed = false;
  // `top`: the node is an item of a select list, whose name is the column's: keep `SELECT current_date` named so.
  const visit = (value: unknown, top = false): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, top));
    if (value === null || typeof value !== 'object') return value;
    const node = value as Node;
    const name = clockName(node);
    if (name !== undefined) {
      changed = true;
      const own = typeof node.alias === 'string' ? node.alias : '';
      const alias = own !== '' || !top ? own : node.class === 'FUNCTION' ? `${name}()` : name;
      return visit({ ...replacement.get(CLOCK[name]!)!, alias });
    }
    // Positions do not survive JSON.parse (2^64 − 1 is past a double's precision) and are not needed any more.
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'query_location' ? 0 : visit(v, k === 'select_list')]));
  };
  const rewritten = visit(ast);
  if (!changed) return sql;
  const [out] = await db.all<{ sql: string }>(`SELECT json_deserialize_sql(${quoteLiteral(JSON.stringify(rewritten))}::JSON) AS sql`);
  return out!.sql;
}

function clockName(node: Node): string | undefined {
  if (node.class === 'COLUMN_REF' && Array.isArray(node.column_names) && node.column_names.length === 1) {
    const name = String(node.column_names[0]).toLowerCase();
    return KEYWORDS.has(name) ? name : undefined;
  }
  if (node.class === 'FUNCTION' && Array.isArray(node.children) && node.children.length === 0 && (node.schema === '' || node.schema === 'main')) {
    const name = String(node.function_name).toLowerCase();
    return name in CLOCK ? name : undefined;
  }
  return undefined;
}
