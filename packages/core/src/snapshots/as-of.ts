// Reading the past: a time read by DuckDB, and a SELECT whose snapshotted tables are swapped for their version at that time in its parse.
import type { Database } from '../database/database.ts';
import { readSchemaTables } from '../database/introspection.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { DuckmetricsError } from '../errors.ts';
import { SNAPSHOT_SCHEMA } from '../project/namespace.ts';

/** A SELECT rewritten to read the past. */
export interface AsOfSql {
  /** The SQL to run (DuckDB's own rendering of the rewritten parse). */
  sql: string;
  /** The time, as DuckDB reads it (`2026-11-01 00:00:00+00`). */
  time: string;
  /** The metrics read at that time (their versions in `snapshots`), in the order first read. */
  replaced: string[];
}

const NO_LOCATION = /"query_location":(\d+)/g;

/**
 * The time `value` means, as DuckDB reads it (`CAST(… AS TIMESTAMPTZ)`, in the session's time zone when it names
 * none); a Date is taken as its instant. Anything DuckDB cannot read is `USAGE`, with what it can.
 */
export async function readAsOfTime(db: Database, value: string | Date): Promise<string> {
  if (value instanceof Date && Number.isNaN(value.getTime())) throw badTime('an invalid Date');
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  if (text === '' || text.length > 100) throw badTime(text === '' ? 'an empty time' : 'a text of more than 100 characters');
  const [row] = await db.all<{ t: string | null }>(`SELECT CAST(TRY_CAST(${quoteLiteral(text)} AS TIMESTAMPTZ) AS VARCHAR) AS t`);
  if (row?.t === null || row?.t === undefined) throw badTime(`"${text}"`);
  return row.t;
}

function badTime(what: string): DuckmetricsError {
  return new DuckmetricsError('USAGE', `--as-of needs a time DuckDB can read, not ${what}`, {
    hint: "write a date or a timestamp, e.g. --as-of 2026-11-01 or --as-of '2026-11-01 08:00:00+01' (no time zone: the database's, UTC unless set)",
  });
}

/** A subquery of `snapshots.<name>`: the rows valid at `time`, without the validity columns. */
export function versionAtSql(name: string, time: string): string {
  const at = `CAST(${quoteLiteral(time)} AS TIMESTAMPTZ)`;
  return `SELECT * EXCLUDE (_valid_from, _valid_to) FROM ${SNAPSHOT_SCHEMA}.${quoteIdent(name)} WHERE _valid_from <= ${at} AND (_valid_to IS NULL OR _valid_to > ${at})`;
}

type Node = Record<string, unknown>;

/**
 * Rewrites one SELECT so every table it reads that has versions in `snapshots` (by name, unqualified or `main.`,
 * not a CTE's name) reads its version at `time`: DuckDB parses the SQL (`json_serialize_sql`), each such
 * `BASE_TABLE` node is replaced by a `SUBQUERY` node (DuckDB's parse of `versionAtSql`, under the table's alias),
 * and DuckDB renders the result (`json_deserialize_sql`). No SQL text is pasted together.
 */
export async function rewriteAsOf(db: Database, sql: string, time: string): Promise<AsOfSql> {
  const snapshotted = await readSchemaTables(db, SNAPSHOT_SCHEMA);
  const ast = await serialize(db, sql);
  if (ast.error) throw new DuckmetricsError('QUERY_INVALID', String(ast.error_message ?? 'the query does not parse'), { hint: 'fix the SQL' });
  const ctes = new Set<string>();
  const targets: Array<{ parent: Node | unknown[]; key: string | number; node: Node }> = [];
  walk(ast.statements, (parent, key, node) => {
    for (const entry of (node.cte_map as { map?: Array<{ key: string }> } | undefined)?.map ?? []) ctes.add(entry.key.toLowerCase());
    const schema = String(node.schema_name ?? '').toLowerCase();
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string' && (schema === '' || schema === 'main') && node.catalog_name === '' && snapshotted.has(node.table_name.toLowerCase())) {
      targets.push({ parent, key, node });
    }
  });
  const chosen = targets.filter((t) => String(t.node.schema_name) !== '' || !ctes.has(String(t.node.table_name).toLowerCase()));
  const replaced: string[] = [];
  const templates = new Map<string, Node>();
  for (const t of chosen) {
    const name = String(t.node.table_name);
    if (!templates.has(name.toLowerCase())) {
      const parsed = await serialize(db, `SELECT * FROM (${versionAtSql(name, time)}) AS ${quoteIdent(name)}`);
      templates.set(name.toLowerCase(), ((parsed.statements as Node[])[0]!.node as Node).from_table as Node);
      replaced.push(name);
    }
    const subquery = structuredClone(templates.get(name.toLowerCase())!);
    subquery.alias = t.node.alias === '' || t.node.alias === undefined ? name : t.node.alias;
    subquery.column_name_alias = t.node.column_name_alias ?? [];
    if (t.node.sample) subquery.sample = t.node.sample;
    (t.parent as Record<string | number, unknown>)[t.key] = subquery;
  }
  if (chosen.length === 0) return { sql, time, replaced };
  const json = JSON.stringify(ast).replace(/"query_location":"(\d+)"/g, '"query_location":$1');
  const [row] = await db.all<{ sql: string }>(`SELECT json_deserialize_sql(${quoteLiteral(json)}::JSON) AS sql`);
  return { sql: row!.sql, time, replaced };
}

async function serialize(db: Database, sql: string): Promise<Node> {
  const [row] = await db.all<{ ast: string }>(`SELECT json_serialize_sql(${quoteLiteral(sql)}) AS ast`);
  // query_location values are 64-bit: kept exact as strings, and written back as numbers.
  return JSON.parse(row!.ast.replace(NO_LOCATION, '"query_location":"$1"')) as Node;
}

function walk(value: unknown, visit: (parent: Node | unknown[], key: string | number, node: Node) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) visit(value, i, item as Node);
      walk(item, visit);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) visit(value as Node, key, child as Node);
      walk(child, visit);
    }
  }
}
