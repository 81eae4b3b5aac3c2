// The DuckDB side of a load: the copied CSV read by DuckDB's `read_csv` with the planned column types, into a
// new table or merged by key into the existing one, each in one transaction (a failure keeps the previous table).
import { quoteIdent, quoteLiteral, sqlValue } from '@duckmetrics/core';
import type { Database } from '@duckmetrics/core';
import type { ColumnPlan } from './type-mapping.ts';

/** The temporary table an incremental load stages its new rows in. */
const MERGE_STAGE = 'duckmetrics_postgres_merge';

/**
 * `SELECT <casts> FROM read_csv(file, …)`: explicit column types (no sniffing), `\N` as the only NULL and quoted
 * fields always strings, so '' stays '' and NULL stays NULL.
 */
export function selectFromCsv(file: string, plans: ColumnPlan[]): string {
  const columns = Object.fromEntries(plans.map((p, i) => [`c${i}`, p.readAs]));
  const list = plans.map((p, i) => `${p.duckExpression(`c${i}`)} AS ${quoteIdent(p.name)}`).join(', ');
  const options = `columns = ${sqlValue(columns)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = ${quoteLiteral('\\N')}, allow_quoted_nulls = false`;
  return `SELECT ${list} FROM read_csv(${quoteLiteral(file)}, ${options})`;
}

/**
 * DuckDB's conversion error in the words of the source: the column's own name and both types, not the CSV
 * column `c1` of a temp file. Other errors keep their first line.
 */
export function explainDuckError(error: unknown, plans: ColumnPlan[]): Error {
  const message = error instanceof Error ? error.message : String(error);
  const converting = /Error when converting column "c(\d+)"\. Could not convert string (".*?") to/.exec(message);
  const plan = converting === null ? undefined : plans[Number(converting[1])];
  if (converting === null || plan === undefined) return new Error(message.split('\n')[0]);
  const row = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  return new Error(`column ${plan.name} (${plan.pgType}, loaded as ${plan.duckType}) cannot hold the value ${converting[2]}${row ? ` (row ${row} of the copy)` : ''}`);
}

async function inTransaction<T>(db: Database, plans: ColumnPlan[], work: () => Promise<T>): Promise<T> {
  await db.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await db.run('COMMIT');
    return result;
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error instanceof RowCountMismatch ? error : explainDuckError(error, plans);
  }
}

/** Replaces table `name` with the file's rows; returns the row count. */
export async function replaceTable(db: Database, name: string, file: string, plans: ColumnPlan[]): Promise<number> {
  return inTransaction(db, plans, async () => {
    const [created] = await db.all<{ Count?: number }>(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS ${selectFromCsv(file, plans)}`);
    return created?.Count ?? 0;
  });
}

/**
 * Merges the file's rows into table `name` by `key`: rows with a key already in the table replace it, the others
 * are added. When the merged table does not end with `expectedRows` rows (rows were deleted in PostgreSQL, which a
 * cursor cannot see), nothing is kept and `undefined` tells the caller to reload the table in full.
 */
export async function mergeIntoTable(db: Database, name: string, file: string, plans: ColumnPlan[], key: string[], expectedRows: number): Promise<{ rows: number; merged: number } | undefined> {
  const table = quoteIdent(name);
  const stage = quoteIdent(MERGE_STAGE);
  try {
    return await inTransaction(db, plans, async () => {
      const [staged] = await db.all<{ Count?: number }>(`CREATE OR REPLACE TEMP TABLE ${stage} AS ${selectFromCsv(file, plans)}`);
      const match = key.map((k) => `${table}.${quoteIdent(k)} = ${stage}.${quoteIdent(k)}`).join(' AND ');
      await db.run(`DELETE FROM ${table} USING ${stage} WHERE ${match}`);
      const columns = plans.map((p) => quoteIdent(p.name)).join(', ');
      await db.run(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${stage}`);
      const [{ n } = { n: 0 }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      if (n !== expectedRows) throw new RowCountMismatch();
      return { rows: n, merged: staged?.Count ?? 0 };
    });
  } catch (error) {
    if (error instanceof RowCountMismatch) return undefined;
    throw error;
  } finally {
    await db.run(`DROP TABLE IF EXISTS temp.${stage}`).catch(() => undefined);
  }
}

class RowCountMismatch extends Error {}

/** The cursor's maximum in the loaded table as text (PostgreSQL reads it back), or undefined when empty or absent. */
export async function loadedCursorMax(db: Database, name: string, cursor: string): Promise<string | undefined> {
  try {
    const [row] = await db.all<{ m: string | null }>(`SELECT CAST(max(${quoteIdent(cursor)}) AS VARCHAR) AS m FROM ${quoteIdent(name)}`);
    return row?.m ?? undefined;
  } catch {
    return undefined;
  }
}
