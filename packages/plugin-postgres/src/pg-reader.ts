// The PostgreSQL side of a load: the session, a relation's kind, a result's column types, the fingerprint, and
// the COPY of the rows into a CSV file (streamed: never all rows in memory).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { didYouMean } from '@duckmetrics/core';
import { qualifiedName, quotePgIdent, quotePgLiteral } from './pg-sql.ts';
import type { RelationName } from './pg-sql.ts';
import type { ColumnPlan, PgColumn } from './type-mapping.ts';

/** Session settings that make PostgreSQL's text output what DuckDB reads (ISO dates, UTC offsets, plain strings). */
const SESSION_SETTINGS = [
  "SET DateStyle = 'ISO, YMD'",
  "SET TimeZone = 'UTC'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 1',
  'SET standard_conforming_strings = on',
  "SET bytea_output = 'hex'",
  "SET client_encoding = 'UTF8'",
].join('; ');

/** Connects and prepares the session; rejects with the driver's error (code `28P01`, `ECONNREFUSED`, …). */
export async function connect(url: string): Promise<pg.Client> {
  // A host that drops packets would otherwise hang setup for the OS's TCP timeout (minutes).
  const client = new pg.Client({ connectionString: url, application_name: 'duckmetrics', connectionTimeoutMillis: 30_000 });
  // An error event after connect (server gone) must not crash the process: the next query rejects instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(SESSION_SETTINGS);
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** The relation's kind (`r` table, `p` partitioned, `m` materialized view, `v` view, `f` foreign), or undefined. */
export async function relationKind(client: pg.Client, relation: RelationName): Promise<string | undefined> {
  const { rows } = await client.query<{ relkind: string }>(
    'SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
    [relation.schema, relation.table],
  );
  return rows[0]?.relkind;
}

/** The closest `schema.table` the user can see in information_schema, for "did you mean". */
export async function suggestRelation(client: pg.Client, relation: RelationName): Promise<string | undefined> {
  const { rows } = await client.query<{ schema: string; table: string }>(
    "SELECT table_schema AS schema, table_name AS table FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
  );
  // By the table's own name (the schema prefix would make every name look close), the same schema first.
  const table = didYouMean(relation.table, rows.map((r) => r.table));
  const found = rows.find((r) => r.table === table && r.schema === relation.schema) ?? rows.find((r) => r.table === table);
  if (found !== undefined) return `${found.schema}.${found.table}`;
  const schema = rows.find((r) => r.table === relation.table);
  return schema === undefined ? undefined : `${schema.schema}.${schema.table}`;
}

/** The SELECT that a source's rows come from, wrapped so that only one SELECT fits inside. */
export function wrapped(select: string): string {
  return `(\n${select.replace(/[\s;]+$/u, '')}\n) AS q`;
}

/**
 * The columns `select` returns, from a `LIMIT 0` run over the extended protocol (which refuses more than one
 * statement), with their types from pg_type (domains resolved to their base type).
 */
export async function describeColumns(client: pg.Client, select: string): Promise<PgColumn[]> {
  const probe = await client.query({ text: `SELECT * FROM ${wrapped(select)} LIMIT 0`, queryMode: 'extended' } as pg.QueryConfig);
  const fields = probe.fields;
  const { rows } = await client.query<{ i: number; formatted: string; typname: string; typtype: string; typmod: number; elem_name: string | null; elem_type: string | null }>(
    `SELECT f.i::int AS i, format_type(f.oid, f.mod) AS formatted, b.typname, b.typtype,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE f.mod END AS typmod, e.typname AS elem_name, e.typtype AS elem_type
     FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS f(oid, mod, i)
     JOIN pg_type t ON t.oid = f.oid
     JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
     LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
     ORDER BY f.i`,
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  );
  return fields.map((field, index) => {
    const row = rows[index]!;
    const column: PgColumn = { name: field.name, typname: row.typname, typtype: row.typtype, typmod: row.typmod, formatted: row.formatted };
    if (row.elem_name !== null) column.element = { typname: row.elem_name, typtype: row.elem_type ?? 'b' };
    return column;
  });
}

/**
 * A table's fingerprint without reading its rows out: the live row count and the sum and maximum of their `xmin`
 * (the transaction that wrote each row). Any INSERT or UPDATE writes rows with a new, larger transaction id and a
 * DELETE lowers the count, so a change always moves one of the three.
 */
export async function xminFingerprint(client: pg.Client, relation: RelationName): Promise<{ rows: number; token: string }> {
  const { rows } = await client.query<{ n: string; s: string | null; m: string | null }>(
    `SELECT count(*)::text AS n, sum(xmin::text::bigint)::text AS s, max(xmin::text::bigint)::text AS m FROM ${qualifiedName(relation)}`,
  );
  const row = rows[0]!;
  return { rows: Number(row.n), token: `rows=${row.n};xmin=${row.s ?? 0}/${row.m ?? 0}` };
}

/** For a query (or view) with a cursor: its row count and the cursor's maximum. */
export async function cursorFingerprint(client: pg.Client, select: string, cursor: string): Promise<{ rows: number; token: string }> {
  const { rows } = await client.query<{ n: string; m: string | null }>(`SELECT count(*)::text AS n, max(q.${quotePgIdent(cursor)})::text AS m FROM ${wrapped(select)}`);
  const row = rows[0]!;
  return { rows: Number(row.n), token: `rows=${row.n};cursor=${row.m ?? ''}` };
}

/** `WHERE q.cursor >= 'value'::type`: rows at the last maximum are copied again and merged by key, never missed. */
export function cursorCondition(cursor: string, value: string, pgType: string): string {
  return `q.${quotePgIdent(cursor)} >= ${quotePgLiteral(value)}::${pgType}`;
}

/**
 * Streams `COPY (SELECT …) TO STDOUT` as CSV into `file`. NULL is written as an unquoted `\N` and every string
 * that PostgreSQL quotes (an empty string is `""`) stays a string, so DuckDB can tell '' from NULL. With `hash`,
 * a sha256 of the bytes is computed on the way.
 */
export async function copyToFile(client: pg.Client, select: string, plans: ColumnPlan[], file: string, options: { where?: string; hash?: boolean }): Promise<{ rows: number; sha256?: string }> {
  const columns = plans.map((p, i) => `${p.pgExpression(`q.${quotePgIdent(p.name)}`)} AS c${i}`).join(', ');
  const text = `COPY (SELECT ${columns} FROM ${wrapped(select)}${options.where ? ` WHERE ${options.where}` : ''}) TO STDOUT (FORMAT csv, HEADER false, NULL '\\N')`;
  const stream = client.query(copyTo(text, { highWaterMark: 1 << 20 }));
  const hash = options.hash ? createHash('sha256') : undefined;
  const stages = hash
    ? [stream, new Transform({ transform(chunk: Buffer, _encoding, done) { hash.update(chunk); done(null, chunk); } }), createWriteStream(file, { highWaterMark: 1 << 20 })] as const
    : [stream, createWriteStream(file, { highWaterMark: 1 << 20 })] as const;
  await pipeline(...(stages as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream]));
  return { rows: stream.rowCount, ...(hash ? { sha256: hash.digest('hex').slice(0, 32) } : {}) };
}
