// What the project database holds: its tables and views and their columns. The one module that reads information_schema.
import type { Database } from './database.ts';
import { quoteLiteral } from './sql.ts';

/** A table or view in the project's main schema. */
export interface TableEntry {
  name: string;
  type: 'table' | 'view';
}

/** One column of a table or view in the main schema. */
export interface ColumnEntry {
  /** Table name as stored. */
  table: string;
  column: string;
  /** DuckDB type. */
  type: string;
}

const MAIN = `table_schema = 'main' AND table_catalog = current_database()`;

/** Tables and views of the main schema, keyed by lower-case name (DuckDB compares names case-insensitively). */
export async function readTables(db: Database): Promise<Map<string, TableEntry>> {
  const rows = await db.all<{ name: string; type: string }>(`SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE ${MAIN}`);
  return new Map(rows.map((r) => [r.name.toLowerCase(), { name: r.name, type: r.type === 'VIEW' ? 'view' : 'table' }]));
}

/** Columns of the main schema's tables (all of them, or those named, case-insensitively), in table then column order. */
export async function readColumns(db: Database, tables?: readonly string[]): Promise<ColumnEntry[]> {
  if (tables !== undefined && tables.length === 0) return [];
  const only = tables === undefined ? '' : ` AND lower(table_name) IN (${tables.map((t) => quoteLiteral(t.toLowerCase())).join(', ')})`;
  return db.all<ColumnEntry>(
    `SELECT table_name AS "table", column_name AS "column", data_type AS type FROM information_schema.columns
     WHERE ${MAIN}${only} ORDER BY table_name, ordinal_position`,
  );
}

/** Tables of another schema (e.g. the quarantine), keyed by lower-case name. */
export async function readSchemaTables(db: Database, schema: string): Promise<Set<string>> {
  const rows = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${quoteLiteral(schema)} AND table_catalog = current_database()`,
  );
  return new Set(rows.map((r) => r.name.toLowerCase()));
}

/** Columns of one table of any schema with their DuckDB types, in order; empty when the table does not exist. */
export async function readTableColumns(db: Database, schema: string, table: string): Promise<Array<{ name: string; type: string }>> {
  return db.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = ${quoteLiteral(schema)} AND table_catalog = current_database() AND lower(table_name) = ${quoteLiteral(table.toLowerCase())}
     ORDER BY ordinal_position`,
  );
}
