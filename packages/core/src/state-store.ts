import type { Database } from './database.ts';
import { quoteLiteral } from './internal/sql.ts';

/** The schema holding duckmetrics' own state inside the project database. */
export const STATE_SCHEMA = '_duckmetrics';

/** Creates the state tables when missing. */
export async function ensureStateSchema(db: Database): Promise<void> {
  await db.run(`
    CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA};
    CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.sources (
      key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, plugin VARCHAR, file VARCHAR, rows BIGINT,
      fingerprint VARCHAR, loaded_at TIMESTAMP DEFAULT current_timestamp);
    CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.metrics (
      key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, file VARCHAR, materialized VARCHAR, rows BIGINT,
      built_at TIMESTAMP DEFAULT current_timestamp);
  `);
}

/** A table or view in the project's main schema. */
export interface CatalogEntry {
  name: string;
  type: 'table' | 'view';
}

/** Tables and views of the main schema, keyed by lower-case name (DuckDB compares names case-insensitively). */
export async function readCatalog(db: Database): Promise<Map<string, CatalogEntry>> {
  const rows = await db.all<{ name: string; type: string }>(
    `SELECT table_name AS name, table_type AS type FROM information_schema.tables
     WHERE table_schema = 'main' AND table_catalog = current_database()`,
  );
  return new Map(rows.map((r) => [r.name.toLowerCase(), { name: r.name, type: r.type === 'VIEW' ? 'view' : 'table' }]));
}

/** Names (lower-case) of the metrics duckmetrics has built in this database. */
export async function readMetricRegistry(db: Database): Promise<Map<string, string>> {
  const rows = await db.all<{ key: string; name: string }>(`SELECT key, name FROM ${STATE_SCHEMA}.metrics`);
  return new Map(rows.map((r) => [r.key, r.name]));
}

/** Names (lower-case) of the sources plugins have loaded into this database. */
export async function readSourceRegistry(db: Database): Promise<Map<string, string>> {
  const rows = await db.all<{ key: string; name: string }>(`SELECT key, name FROM ${STATE_SCHEMA}.sources`);
  return new Map(rows.map((r) => [r.key, r.name]));
}

/** SQL that records a built metric (run inside the build's transaction). */
export function recordMetricSql(name: string, file: string, materialized: string, rows: number | null): string {
  return `INSERT OR REPLACE INTO ${STATE_SCHEMA}.metrics (key, name, file, materialized, rows, built_at)
    VALUES (${quoteLiteral(name.toLowerCase())}, ${quoteLiteral(name)}, ${quoteLiteral(file)}, ${quoteLiteral(materialized)}, ${rows ?? 'NULL'}, current_timestamp)`;
}

/** Records a loaded source. */
export async function recordSource(db: Database, source: { name: string; plugin: string; file?: string; rows?: number; fingerprint?: string }): Promise<void> {
  await db.run(`INSERT OR REPLACE INTO ${STATE_SCHEMA}.sources (key, name, plugin, file, rows, fingerprint, loaded_at)
    VALUES (${quoteLiteral(source.name.toLowerCase())}, ${quoteLiteral(source.name)}, ${quoteLiteral(source.plugin)},
      ${source.file === undefined ? 'NULL' : quoteLiteral(source.file)}, ${source.rows ?? 'NULL'},
      ${source.fingerprint === undefined ? 'NULL' : quoteLiteral(source.fingerprint)}, current_timestamp)`);
}
