// The previous version of each published table, kept in its own schema with its state record, for `rollback`.
import type { Database } from '../database/database.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { PREVIOUS_SCHEMA } from '../project/namespace.ts';
import { STATE_SCHEMA } from './schema.ts';

const COLUMNS = 'key, name, file, materialized, rows, definition_hash, input_hash, tool_version, upstream, built_at';

/**
 * Creates the schema of previous versions; called once before builds run in parallel, whose transactions would
 * conflict creating it.
 */
export async function ensurePreviousSchema(db: Database): Promise<void> {
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${PREVIOUS_SCHEMA}`);
}

/**
 * SQL that keeps the table `name` (of the main schema) as its previous version, with its state record, before it
 * is replaced; run inside the transaction that replaces it. DuckDB cannot move a table to another schema, so the
 * table is copied: keeping versions costs one copy of each table replaced (see docs/preview-and-publish.md). The
 * schema must exist (`ensurePreviousSchema`).
 */
export function keepPreviousSql(name: string): string {
  const key = quoteLiteral(name.toLowerCase());
  return `CREATE OR REPLACE TABLE ${PREVIOUS_SCHEMA}.${quoteIdent(name)} AS SELECT * FROM main.${quoteIdent(name)};
    DELETE FROM ${STATE_SCHEMA}.previous_metrics WHERE key = ${key};
    INSERT INTO ${STATE_SCHEMA}.previous_metrics (${COLUMNS}) SELECT ${COLUMNS} FROM ${STATE_SCHEMA}.metrics WHERE key = ${key}`;
}

/** The previous version kept of a metric's table, if any: its name as stored and its recorded rows. */
export async function readPreviousVersion(db: Database, name: string): Promise<{ name: string; rows: number | null; builtAt: string | null } | undefined> {
  const [row] = await db.all<{ name: string; rows: number | null; ms: number | null }>(
    `SELECT t.table_name AS name, p.rows, epoch_ms(p.built_at) AS ms
     FROM information_schema.tables t LEFT JOIN ${STATE_SCHEMA}.previous_metrics p ON p.key = lower(t.table_name)
     WHERE t.table_schema = ${quoteLiteral(PREVIOUS_SCHEMA)} AND t.table_catalog = current_database() AND lower(t.table_name) = ${quoteLiteral(name.toLowerCase())}`,
  );
  return row ? { name: row.name, rows: row.rows, builtAt: row.ms === null ? null : new Date(row.ms).toISOString() } : undefined;
}

/**
 * SQL that swaps the published table `name` with its previous version, and their state records: after it, the
 * version published before is in place and the one replaced is the previous version (a second rollback undoes the
 * first). Run inside one transaction.
 */
export function swapWithPreviousSql(name: string): string {
  const key = quoteLiteral(name.toLowerCase());
  const t = quoteIdent(name);
  const swap = quoteIdent(`__duckmetrics_swap_${name}`);
  return `ALTER TABLE ${PREVIOUS_SCHEMA}.${t} RENAME TO ${swap};
    CREATE TABLE ${PREVIOUS_SCHEMA}.${t} AS SELECT * FROM main.${t};
    DROP TABLE main.${t};
    CREATE TABLE main.${t} AS SELECT * FROM ${PREVIOUS_SCHEMA}.${swap};
    DROP TABLE ${PREVIOUS_SCHEMA}.${swap};
    CREATE TEMP TABLE __duckmetrics_swap_state AS SELECT ${COLUMNS} FROM ${STATE_SCHEMA}.metrics WHERE key = ${key};
    DELETE FROM ${STATE_SCHEMA}.metrics WHERE key = ${key};
    INSERT INTO ${STATE_SCHEMA}.metrics (${COLUMNS}) SELECT ${COLUMNS} FROM ${STATE_SCHEMA}.previous_metrics WHERE key = ${key};
    DELETE FROM ${STATE_SCHEMA}.previous_metrics WHERE key = ${key};
    INSERT INTO ${STATE_SCHEMA}.previous_metrics (${COLUMNS}) SELECT ${COLUMNS} FROM __duckmetrics_swap_state;
    DROP TABLE __duckmetrics_swap_state`;
}

/** Drops every previous version and forgets their records (`clean`). */
export async function dropPreviousVersions(db: Database): Promise<void> {
  await db.run(`DROP SCHEMA IF EXISTS ${PREVIOUS_SCHEMA} CASCADE; DELETE FROM ${STATE_SCHEMA}.previous_metrics`);
}
