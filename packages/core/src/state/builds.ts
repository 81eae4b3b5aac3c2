// What the state records about built metrics and loaded sources: read as registries, written with each build or load.
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';
import { STATE_SCHEMA } from './schema.ts';

/** What the state says about a built metric. */
export interface MetricState {
  name: string;
  inputHash: string | null;
  rows: number | null;
}

/** The metrics duckmetrics has built in this database, keyed by lower-case name. */
export async function readMetricRegistry(db: Database): Promise<Map<string, MetricState>> {
  const rows = await db.all<{ key: string; name: string; input_hash: string | null; rows: number | null }>(
    `SELECT key, name, input_hash, rows FROM ${CURRENT_METRICS}`,
  );
  return new Map(rows.map((r) => [r.key, { name: r.name, inputHash: r.input_hash, rows: r.rows }]));
}

/** Each built metric's last build: rows, when, and the run that built it (its latest success), by lower-case name. */
export async function readLastBuilds(db: Database): Promise<Map<string, { rows: number | null; builtAt: string; runId: string | null }>> {
  const rows = await db.all<{ key: string; rows: number | null; ms: number; run_id: string | null }>(
    `SELECT m.key, m.rows, epoch_ms(m.built_at) AS ms,
       (SELECT r.run_id FROM ${STATE_SCHEMA}.metric_runs r WHERE lower(r.name) = m.key AND r.status = 'success' ORDER BY r.finished_at DESC LIMIT 1) AS run_id
     FROM ${CURRENT_METRICS} m WHERE m.built_at IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.key, { rows: r.rows, builtAt: new Date(r.ms).toISOString(), runId: r.run_id }]));
}

/** What the state says about a loaded source. */
export interface SourceState {
  name: string;
  fingerprint: string | null;
  rows: number | null;
  /** The file it was loaded from, relative to the project root. */
  file: string | null;
  /** When it was last loaded (ISO time). */
  loadedAt: string | null;
  /** The plugin that loaded it. */
  plugin: string | null;
  /** Size and modification time (ms) of the file when it was loaded. */
  fileSize: number | null;
  fileMtimeMs: number | null;
}

/** The sources plugins have loaded into this database, keyed by lower-case name. */
export async function readSourceRegistry(db: Database): Promise<Map<string, SourceState>> {
  const rows = await db.all<{ key: string; name: string; fingerprint: string | null; rows: number | null; file: string | null; ms: number | null; file_size: number | null; file_mtime_ms: number | null; plugin: string | null }>(
    `SELECT key, name, fingerprint, rows, file, epoch_ms(loaded_at) AS ms, file_size, file_mtime_ms, plugin FROM ${STATE_SCHEMA}.sources`,
  );
  return new Map(rows.map((r) => [r.key, {
    name: r.name, fingerprint: r.fingerprint, rows: r.rows, file: r.file, loadedAt: r.ms === null ? null : new Date(r.ms).toISOString(),
    plugin: r.plugin, fileSize: r.file_size, fileMtimeMs: r.file_mtime_ms,
  }]));
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

/** SQL that records a metric published outside a run (`publish`): straight into `metrics`, over any journal entry. */
export function recordMetricSql(b: BuildRecord): string {
  const key = quoteLiteral(b.name.toLowerCase());
  return `DELETE FROM ${STATE_SCHEMA}.build_journal WHERE key = ${key};
    DELETE FROM ${STATE_SCHEMA}.metrics WHERE key = ${key};
    INSERT INTO ${STATE_SCHEMA}.metrics (${RECORD_COLUMNS})
    VALUES (${key}, ${quoteLiteral(b.name)}, ${quoteLiteral(b.file)}, ${quoteLiteral(b.materialized)},
      ${b.rows ?? 'NULL'}, ${quoteLiteral(b.definitionHash)}, ${quoteLiteral(b.inputHash)}, ${quoteLiteral(b.toolVersion)},
      ${quoteLiteral(JSON.stringify(b.upstream))}, current_timestamp)`;
}

/**
 * The build journal (`build_journal`): what a run has built and not yet folded into `metrics`. A run writes an
 * *intent* (an entry of NULL) for every metric it is about to build, in one statement before the first build; the
 * builds commit their tables alone (no record in their transaction: an INSERT and its round trip were about 3 ms
 * of a 30-45 ms build, docs/benchmarks.md); the run keeps their records in memory and folds them in at its end.
 * An intent with no record after it is a build whose outcome is unknown (the process was killed, or the run threw):
 * the fold keeps that metric's previous record but clears its input hash, so the next run builds it again.
 */
export function journalIntentsSql(names: readonly string[]): string {
  return `INSERT INTO ${STATE_SCHEMA}.build_journal SELECT k->>'$', NULL FROM (SELECT unnest(${quoteLiteral(JSON.stringify(names.map((n) => n.toLowerCase())))}::JSON[]) AS k)`;
}

/** A finished build's record, as the run keeps it until the fold. */
export interface JournalEntry extends BuildRecord {
  builtAt: Date;
}

const entryJson = (b: JournalEntry): Record<string, unknown> => ({
  key: b.name.toLowerCase(), name: b.name, file: b.file, materialized: b.materialized, rows: b.rows, definition_hash: b.definitionHash,
  input_hash: b.inputHash, tool_version: b.toolVersion, upstream: JSON.stringify(b.upstream), built_at: b.builtAt.toISOString(),
});

const RECORD_COLUMNS = 'key, name, file, materialized, rows, definition_hash, input_hash, tool_version, upstream, built_at';

/** The journal's newest entry of each key, with the columns of `metrics` (all NULL but the key for an intent). */
const JOURNALED = `SELECT key, entry->>'name' AS name, entry->>'file' AS file, entry->>'materialized' AS materialized, (entry->>'rows')::BIGINT AS rows,
    entry->>'definition_hash' AS definition_hash, entry->>'input_hash' AS input_hash, entry->>'tool_version' AS tool_version,
    entry->>'upstream' AS upstream, CAST(entry->>'built_at' AS TIMESTAMPTZ)::TIMESTAMP AS built_at
  FROM ${STATE_SCHEMA}.build_journal QUALIFY row_number() OVER (PARTITION BY key ORDER BY rowid DESC) = 1`;

/**
 * Every metric's current record: its journal entry when it has one (a run not yet folded), else its row of `metrics`,
 * with no input hash when its newest entry is an intent (a build that may or may not have happened).
 */
const CURRENT_METRICS = `(SELECT m.key, m.name, m.file, m.materialized, m.rows, m.definition_hash, CASE WHEN j.key IS NULL THEN m.input_hash END AS input_hash,
    m.tool_version, m.upstream, m.built_at
  FROM ${STATE_SCHEMA}.metrics m LEFT JOIN (${JOURNALED}) j ON j.key = m.key WHERE j.name IS NULL
  UNION ALL SELECT ${RECORD_COLUMNS} FROM (${JOURNALED}) WHERE name IS NOT NULL)`;

/**
 * SQL that folds the journal into `metrics`, in one transaction: `entries` (the records of builds that finished) are
 * appended first; then each key's newest entry replaces its record, and a key whose newest entry is an intent keeps
 * its record without an input hash. `settled` (a run that reached its end, and so knows every build's outcome) drops
 * the intents first: a build that failed kept its previous table, which its previous record still describes.
 */
export function foldBuildJournalSql(entries: readonly JournalEntry[] = [], settled = false): string {
  const append = entries.length > 0
    ? `INSERT INTO ${STATE_SCHEMA}.build_journal SELECT e->>'key', e::VARCHAR FROM (SELECT unnest(${quoteLiteral(JSON.stringify(entries.map(entryJson)))}::JSON[]) AS e);`
    : '';
  return `BEGIN TRANSACTION;
    ${settled ? `DELETE FROM ${STATE_SCHEMA}.build_journal WHERE entry IS NULL;` : ''}
    ${append}
    UPDATE ${STATE_SCHEMA}.metrics SET input_hash = NULL WHERE key IN (SELECT key FROM (${JOURNALED}) WHERE name IS NULL);
    DELETE FROM ${STATE_SCHEMA}.metrics WHERE key IN (SELECT key FROM (${JOURNALED}) WHERE name IS NOT NULL);
    INSERT INTO ${STATE_SCHEMA}.metrics (${RECORD_COLUMNS}) SELECT ${RECORD_COLUMNS} FROM (${JOURNALED}) WHERE name IS NOT NULL;
    DELETE FROM ${STATE_SCHEMA}.build_journal;
    COMMIT`;
}

/** Folds the build journal into `metrics` (`foldBuildJournalSql`); rolls back should a statement fail. */
export async function foldBuildJournal(db: Database, entries: readonly JournalEntry[] = [], settled = false): Promise<void> {
  try {
    await db.run(foldBuildJournalSql(entries, settled));
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Records a loaded source. */
export async function recordSource(db: Database, source: { name: string; plugin: string; file?: string; rows?: number; fingerprint?: string; fileSize?: number; fileMtimeMs?: number }): Promise<void> {
  await db.run(`DELETE FROM ${STATE_SCHEMA}.sources WHERE key = ${quoteLiteral(source.name.toLowerCase())};
    INSERT INTO ${STATE_SCHEMA}.sources (key, name, plugin, file, rows, fingerprint, loaded_at, file_size, file_mtime_ms)
    VALUES (${quoteLiteral(source.name.toLowerCase())}, ${quoteLiteral(source.name)}, ${quoteLiteral(source.plugin)},
      ${source.file === undefined ? 'NULL' : quoteLiteral(source.file)}, ${source.rows ?? 'NULL'},
      ${source.fingerprint === undefined ? 'NULL' : quoteLiteral(source.fingerprint)}, current_timestamp,
      ${source.fileSize === undefined ? 'NULL' : Math.round(source.fileSize)}, ${source.fileMtimeMs === undefined ? 'NULL' : Math.round(source.fileMtimeMs)})`);
}

/** Forgets a source (after its table was dropped). */
export async function forgetSource(db: Database, name: string): Promise<void> {
  await db.run(`DELETE FROM ${STATE_SCHEMA}.sources WHERE key = ${quoteLiteral(name.toLowerCase())}`);
}
