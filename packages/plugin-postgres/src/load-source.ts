// One source's load: inside one read-only snapshot of PostgreSQL, its columns, its fingerprint, and either a skip,
// a merge of the rows whose cursor moved, or a full copy; the PostgreSQL and DuckDB halves are in their own files.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { didYouMean } from '@duckmetrics/core';
import type { Database, LoadSourcesOptions, SourceLoad } from '@duckmetrics/core';
import { loadedCursorMax, mergeIntoTable, replaceTable } from './duck-writer.ts';
import { sourceDiagnostic } from './pg-errors.ts';
import { copyToFile, cursorCondition, cursorFingerprint, describeColumns, relationKind, suggestRelation, xminFingerprint } from './pg-reader.ts';
import { qualifiedName } from './pg-sql.ts';
import type { RelationName } from './pg-sql.ts';
import { planColumn } from './type-mapping.ts';

/** A configured source: a table of `tables` or a query of `queries`. */
export interface SourceSpec {
  /** DuckDB table name. */
  name: string;
  /** For messages: `table public.customers`, `queries.paying_customers`. */
  what: string;
  /** The SELECT its rows come from. */
  select: string;
  relation?: RelationName;
  incremental?: { key: string[]; cursor: string };
}

/** What one load needs besides its spec. */
export interface LoadContext {
  client: pg.Client;
  db: Database;
  previous: LoadSourcesOptions['previous'];
  /** A private temp folder for the CSV stream. */
  dir: string;
  url: string;
  user: string;
}

/** Bumped when the type mapping changes, so every table is copied again with the new mapping. */
const MAPPING_VERSION = 1;

/** Relation kinds that have `xmin` (heap rows): tables, partitioned tables, materialized views. */
const HEAP_KINDS = new Set(['r', 'p', 'm']);

/**
 * Loads one source and never throws: every failure is a `SourceLoad.error`, and the previous table is kept.
 * `full` skips the incremental merge (after a merge found rows deleted upstream).
 */
export async function loadSource(spec: SourceSpec, ctx: LoadContext, full = false): Promise<SourceLoad> {
  const started = performance.now();
  const file = path.join(ctx.dir, `${spec.name}.csv`);
  const done = (load: Omit<SourceLoad, 'name' | 'durationMs'>): SourceLoad => ({ name: spec.name, ...load, durationMs: Math.round(performance.now() - started) });
  const { client } = ctx;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let kind: string | undefined;
    if (spec.relation !== undefined) {
      kind = await relationKind(client, spec.relation);
      if (kind === undefined) {
        const suggestion = await suggestRelation(client, spec.relation);
        return done({ error: {
          code: 'PG_TABLE_UNKNOWN',
          message: `postgres: ${spec.what} does not exist${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          hint: suggestion ? `write "${suggestion}" in tables` : 'create the table, fix its schema-qualified name in tables, or remove it from the config',
        } });
      }
    }
    const columns = await describeColumns(client, spec.select);
    const names = columns.map((c) => c.name);
    const duplicate = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
    if (duplicate !== undefined) {
      return done({ error: { code: 'PG_QUERY_INVALID', message: `postgres: ${spec.what} returns two columns named "${duplicate}"`, hint: 'give every column its own name with AS' } });
    }
    const incremental = spec.incremental;
    if (incremental !== undefined) {
      const unknown = [...incremental.key, incremental.cursor].find((c) => !names.includes(c));
      if (unknown !== undefined) {
        const suggestion = didYouMean(unknown, names);
        return done({ error: { code: 'PG_OPTIONS_INVALID', message: `postgres: incremental.${spec.name} names column "${unknown}", which ${spec.what} does not have${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, hint: `columns are ${names.join(', ')}` } });
      }
    }
    const plans = columns.map(planColumn);
    const shape = createHash('sha256').update(JSON.stringify([MAPPING_VERSION, spec.select, incremental ?? null, plans.map((p) => [p.name, p.pgType, p.duckType])])).digest('hex').slice(0, 16);
    const measured = kind !== undefined && HEAP_KINDS.has(kind) && spec.relation !== undefined
      ? await xminFingerprint(client, spec.relation)
      : incremental !== undefined ? await cursorFingerprint(client, spec.select, incremental.cursor) : undefined;
    const fingerprint = measured === undefined ? undefined : `postgres:${shape};${measured.token}`;
    const before = ctx.previous.get(spec.name);
    if (fingerprint !== undefined && before?.fingerprint === fingerprint) {
      await client.query('COMMIT');
      return done({ fingerprint, unchanged: true, ...(before.rows === null ? {} : { rows: before.rows }) });
    }

    // Incremental: only when the table was loaded before with the same columns (so not after setup --force).
    const sameShape = before?.fingerprint?.startsWith(`postgres:${shape};`) === true;
    const cursorMax = !full && incremental !== undefined && sameShape ? await loadedCursorMax(ctx.db, spec.name, incremental.cursor) : undefined;
    const cursorType = plans.find((p) => p.name === incremental?.cursor)?.pgType;
    const where = cursorMax === undefined || cursorType === undefined ? undefined : cursorCondition(incremental!.cursor, cursorMax, cursorType);
    const copied = await copyToFile(client, spec.select, plans, file, { ...(where ? { where } : {}), hash: fingerprint === undefined });
    await client.query('COMMIT');

    const final = fingerprint ?? `postgres:${shape};sha256=${copied.sha256}`;
    if (before?.fingerprint === final) return done({ fingerprint: final, unchanged: true, ...(before.rows === null ? {} : { rows: before.rows }) });
    if (where !== undefined && incremental !== undefined && measured !== undefined) {
      const merged = await mergeIntoTable(ctx.db, spec.name, file, plans, incremental.key, measured.rows);
      if (merged === undefined) return await loadSource(spec, ctx, true);
      return done({ rows: merged.rows, fingerprint: final });
    }
    const rows = await replaceTable(ctx.db, spec.name, file, plans);
    return done({ rows, fingerprint: final });
  } catch (error) {
    return done({ error: sourceDiagnostic(error, { name: spec.name, what: spec.what, ...(spec.relation ? { relation: qualifiedName(spec.relation) } : { select: spec.select }) }, ctx.url, ctx.user) });
  } finally {
    // Read-only: ROLLBACK ends the snapshot whether the load returned early, failed or already committed.
    await client.query('ROLLBACK').catch(() => undefined);
    await rm(file, { force: true });
  }
}
