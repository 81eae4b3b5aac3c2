// The state schema inside the project database: its tables, its version, and the upgrade of older databases.
import type { Database } from '../database/database.ts';

/** The schema holding duckmetrics' own state inside the project database, so copying the file copies it. */
export const STATE_SCHEMA = '_duckmetrics';

/** Bump when a state table gains a column; older databases are upgraded in place on open. */
const STATE_VERSION = 7;

const STATE_TABLES: Record<string, Array<[string, string]>> = {
  sources: [['key', 'VARCHAR NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['plugin', 'VARCHAR'], ['file', 'VARCHAR'], ['rows', 'BIGINT'],
    ['fingerprint', 'VARCHAR'], ['loaded_at', 'TIMESTAMP DEFAULT current_timestamp'],
    // Version 4: the loaded file's size and modification time, so `run` can tell a file changed since it was loaded.
    ['file_size', 'BIGINT'], ['file_mtime_ms', 'BIGINT']],
  metrics: [['key', 'VARCHAR NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['file', 'VARCHAR'], ['materialized', 'VARCHAR'], ['rows', 'BIGINT'],
    ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['tool_version', 'VARCHAR'], ['upstream', 'VARCHAR'],
    ['built_at', 'TIMESTAMP DEFAULT current_timestamp']],
  runs: [['run_id', 'VARCHAR PRIMARY KEY'], ['command', 'VARCHAR'], ['status', 'VARCHAR'], ['started_at', 'TIMESTAMP'], ['finished_at', 'TIMESTAMP'],
    ['duration_ms', 'BIGINT'], ['built', 'INTEGER'], ['failed', 'INTEGER'], ['skipped', 'INTEGER'], ['tool_version', 'VARCHAR'], ['selection', 'VARCHAR']],
  metric_runs: [['run_id', 'VARCHAR'], ['name', 'VARCHAR'], ['file', 'VARCHAR'], ['status', 'VARCHAR'], ['reason', 'VARCHAR'], ['rows', 'BIGINT'],
    ['duration_ms', 'BIGINT'], ['error', 'VARCHAR'], ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['upstream', 'VARCHAR'],
    ['finished_at', 'TIMESTAMP']],
  // Version 5: the last plan (what `publish` promotes and checks for staleness) and each table's previous build.
  plans: [['plan_id', 'VARCHAR'], ['created_at', 'TIMESTAMP'], ['selection', 'VARCHAR'], ['fingerprints', 'VARCHAR']],
  plan_metrics: [['plan_id', 'VARCHAR'], ['position', 'INTEGER'], ['key', 'VARCHAR'], ['name', 'VARCHAR'], ['file', 'VARCHAR'], ['status', 'VARCHAR'],
    ['reason', 'VARCHAR'], ['materialized', 'VARCHAR'], ['rows', 'BIGINT'], ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['upstream', 'VARCHAR']],
  previous_metrics: [['key', 'VARCHAR NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['file', 'VARCHAR'], ['materialized', 'VARCHAR'], ['rows', 'BIGINT'],
    ['definition_hash', 'VARCHAR'], ['input_hash', 'VARCHAR'], ['tool_version', 'VARCHAR'], ['upstream', 'VARCHAR'], ['built_at', 'TIMESTAMP']],
  // Version 6: each metric file as last read and validated (project-cache.ts), so unchanged files are not read again.
  project_cache: [['file', 'VARCHAR NOT NULL'], ['entry', 'VARCHAR']],
  // Version 7: a run's intents (entry NULL) and its builds' records, until the run folds them into metrics (builds.ts).
  build_journal: [['key', 'VARCHAR NOT NULL'], ['entry', 'VARCHAR']],
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
