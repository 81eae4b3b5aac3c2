import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';

/** The schema holding duckmetrics' own state inside the project database, so copying the file copies it. */
export const STATE_SCHEMA = '_duckmetrics';

/** Bump when a state table gains a column; older databases are upgraded in place on open. */
const STATE_VERSION = 3;

const STATE_TABLES: Record<string, Array<[string, string]>> = {
  sources: [['key', 'VARCHAR NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['plugin', 'VARCHAR'], ['file', 'VARCHAR'], ['rows', 'BIGINT'],
    ['fingerprint', 'VARCHAR'], ['loaded_at', 'TIMESTAMP DEFAULT current_timestamp']],
  metrics: [['key', 'VARCHAR NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['file', 'VARCHAR'], ['materialized', 'VARCHAR'], ['rows', 'BIGINT'],
    ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['tool_version', 'VARCHAR'], ['upstream', 'VARCHAR'],
    ['built_at', 'TIMESTAMP DEFAULT current_timestamp']],
  runs: [['run_id', 'VARCHAR PRIMARY KEY'], ['command', 'VARCHAR'], ['status', 'VARCHAR'], ['started_at', 'TIMESTAMP'], ['finished_at', 'TIMESTAMP'],
    ['duration_ms', 'BIGINT'], ['built', 'INTEGER'], ['failed', 'INTEGER'], ['skipped', 'INTEGER'], ['tool_version', 'VARCHAR'], ['selection', 'VARCHAR']],
  metric_runs: [['run_id', 'VARCHAR'], ['name', 'VARCHAR'], ['file', 'VARCHAR'], ['status', 'VARCHAR'], ['reason', 'VARCHAR'], ['rows', 'BIGINT'],
    ['duration_ms', 'BIGINT'], ['error', 'VARCHAR'], ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['upstream', 'VARCHAR'],
    ['finished_at', 'TIMESTAMP']],
};

/** Creates the state tables when missing, and adds columns that newer versions need to older ones. */
export async function ensureStateSchema(db: Database): Promise<void> {
  const version = await db
    .all<{ v: number }>(`SELECT value::INTEGER AS v FROM ${STATE_SCHEMA}.meta WHERE key = 'state_version'`)
    .catch(() => []);
  if (version[0]?.v === STATE_VERSION) return;
  const statements = [`CREATE SCHEMA IF NOT EXISTS ${STATE_SCHEMA}`, `CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.meta (key VARCHAR PRIMARY KEY, value VARCHAR)`];
  // Version 3 dropped the primary keys of sources and metrics: an upsert through the key index cost ~3 ms a build,
  // DELETE + INSERT ~2 ms. CREATE TABLE AS copies rows without constraints.
  const keyed = await db
    .all<{ t: string }>(`SELECT table_name AS t FROM duckdb_constraints() WHERE schema_name = '${STATE_SCHEMA}' AND table_name IN ('sources', 'metrics') AND constraint_type = 'PRIMARY KEY'`)
    .catch(() => []);
  for (const { t } of keyed) {
    statements.push(`CREATE TABLE ${STATE_SCHEMA}.${t}__v3 AS SELECT * FROM ${STATE_SCHEMA}.${t}`, `DROP TABLE ${STATE_SCHEMA}.${t}`, `ALTER TABLE ${STATE_SCHEMA}.${t}__v3 RENAME TO ${t}`);
  }
  for (const [table, columns] of Object.entries(STATE_TABLES)) {
    statements.push(`CREATE TABLE IF NOT EXISTS ${STATE_SCHEMA}.${table} (${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`);
    for (const [c, t] of columns) {
      const type = t.replace(/ (PRIMARY KEY|NOT NULL)/g, '');
      if (!t.includes('PRIMARY KEY')) statements.push(`ALTER TABLE ${STATE_SCHEMA}.${table} ADD COLUMN IF NOT EXISTS ${c} ${type}`);
    }
  }
  statements.push(`INSERT OR REPLACE INTO ${STATE_SCHEMA}.meta VALUES ('state_version', '${STATE_VERSION}')`);
  await db.run(statements.join(';\n'));
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

/** What the state says about a built metric. */
export interface MetricState {
  name: string;
  inputHash: string | null;
  rows: number | null;
}

/** The metrics duckmetrics has built in this database, keyed by lower-case name. */
export async function readMetricRegistry(db: Database): Promise<Map<string, MetricState>> {
  const rows = await db.all<{ key: string; name: string; input_hash: string | null; rows: number | null }>(
    `SELECT key, name, input_hash, rows FROM ${STATE_SCHEMA}.metrics`,
  );
  return new Map(rows.map((r) => [r.key, { name: r.name, inputHash: r.input_hash, rows: r.rows }]));
}

/** What the state says about a loaded source. */
export interface SourceState {
  name: string;
  fingerprint: string | null;
  rows: number | null;
}

/** The sources plugins have loaded into this database, keyed by lower-case name. */
export async function readSourceRegistry(db: Database): Promise<Map<string, SourceState>> {
  const rows = await db.all<{ key: string; name: string; fingerprint: string | null; rows: number | null }>(
    `SELECT key, name, fingerprint, rows FROM ${STATE_SCHEMA}.sources`,
  );
  return new Map(rows.map((r) => [r.key, { name: r.name, fingerprint: r.fingerprint, rows: r.rows }]));
}

/** What is recorded about a build. */
export interface BuildRecord {
  name: string;
  file: string;
  materialized: string;
  rows: number | null;
  definitionHash: string;
  inputHash: string;
  toolVersion: string;
  upstream: Record<string, string>;
}

/** SQL that records a built metric (run inside the build's transaction). */
export function recordMetricSql(b: BuildRecord): string {
  return `DELETE FROM ${STATE_SCHEMA}.metrics WHERE key = ${quoteLiteral(b.name.toLowerCase())};
    INSERT INTO ${STATE_SCHEMA}.metrics
    (key, name, file, materialized, rows, definition_hash, input_hash, tool_version, upstream, built_at)
    VALUES (${quoteLiteral(b.name.toLowerCase())}, ${quoteLiteral(b.name)}, ${quoteLiteral(b.file)}, ${quoteLiteral(b.materialized)},
      ${b.rows ?? 'NULL'}, ${quoteLiteral(b.definitionHash)}, ${quoteLiteral(b.inputHash)}, ${quoteLiteral(b.toolVersion)},
      ${quoteLiteral(JSON.stringify(b.upstream))}, current_timestamp)`;
}

/** Records a loaded source. */
export async function recordSource(db: Database, source: { name: string; plugin: string; file?: string; rows?: number; fingerprint?: string }): Promise<void> {
  await db.run(`DELETE FROM ${STATE_SCHEMA}.sources WHERE key = ${quoteLiteral(source.name.toLowerCase())};
    INSERT INTO ${STATE_SCHEMA}.sources (key, name, plugin, file, rows, fingerprint, loaded_at)
    VALUES (${quoteLiteral(source.name.toLowerCase())}, ${quoteLiteral(source.name)}, ${quoteLiteral(source.plugin)},
      ${source.file === undefined ? 'NULL' : quoteLiteral(source.file)}, ${source.rows ?? 'NULL'},
      ${source.fingerprint === undefined ? 'NULL' : quoteLiteral(source.fingerprint)}, current_timestamp)`);
}
