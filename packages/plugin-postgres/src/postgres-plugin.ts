// The `postgres()` source plugin: its options, checked when the config loads, and the loadSources hook that opens
// one connection, loads every source in turn (one failing source does not stop the others) and closes it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { didYouMean, definePlugin } from '@duckmetrics/core';
import type { Plugin, SourceLoad } from '@duckmetrics/core';
import { loadSource } from './load-source.ts';
import type { SourceSpec } from './load-source.ts';
import { connectionDiagnostic, describeUrl } from './pg-errors.ts';
import { connect } from './pg-reader.ts';
import { parseRelationName, qualifiedName } from './pg-sql.ts';

/** Incremental loading of one source: rows whose `cursor` reached the last loaded maximum are merged by `key`. */
export interface IncrementalOptions {
  /** Columns that identify a row (the primary key). */
  key: string[];
  /** A column that grows whenever a row is written, such as `updated_at` or a sequence. */
  cursor: string;
}

/** Options of the `postgres()` plugin. */
export interface PostgresPluginOptions {
  /** Connection URL, `postgres://user:password@host:5432/db` (take it from the environment, not the config file). */
  url: string | undefined;
  /** Tables (or views) to copy, `schema.table` or `table` (schema `public`); each becomes a table of its own name. */
  tables?: string[];
  /** Tables made from one SELECT each, by table name. */
  queries?: Record<string, string>;
  /** Sources loaded incrementally, by table name. */
  incremental?: Record<string, IncrementalOptions>;
}

const PLUGIN_OPTIONS = ['url', 'tables', 'queries', 'incremental'];
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The DuckDB table a PostgreSQL table becomes: its name without the schema, as a plain identifier. */
export function tableNameOf(table: string): string {
  const plain = table.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+(?=.)|(?<=.)_+$/g, '');
  const name = plain === '' || plain === '_' ? 'table' : plain;
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

function fail(message: string): never {
  throw new Error(`postgres(): ${message}`);
}

/** The sources the options name, checked: names are unique, queries are strings, incremental names a source. */
export function sourceSpecs(options: PostgresPluginOptions): SourceSpec[] {
  const unknown = Object.keys(options).filter((key) => !PLUGIN_OPTIONS.includes(key));
  if (unknown.length > 0) {
    const suggestion = didYouMean(unknown[0]!, PLUGIN_OPTIONS);
    fail(`unknown option "${unknown[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; options are ${PLUGIN_OPTIONS.join(', ')}`);
  }
  const specs: SourceSpec[] = [];
  for (const text of options.tables ?? []) {
    const relation = typeof text === 'string' ? parseRelationName(text) : undefined;
    if (relation === undefined) fail(`tables: ${JSON.stringify(text)} is not a table name (write schema.table, e.g. public.customers)`);
    specs.push({ name: tableNameOf(relation.table), what: `table ${relation.schema}.${relation.table}`, select: `SELECT * FROM ${qualifiedName(relation)}`, relation });
  }
  for (const [name, sql] of Object.entries(options.queries ?? {})) {
    if (!PLAIN_NAME.test(name)) fail(`queries: "${name}" is not a plain table name (letters, digits and _)`);
    if (typeof sql !== 'string' || sql.trim() === '') fail(`queries.${name} must be a SELECT statement`);
    specs.push({ name, what: `queries.${name}`, select: sql });
  }
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const other = seen.get(spec.name.toLowerCase());
    if (other !== undefined) fail(`${other} and ${spec.what} would both load into table "${spec.name}"; load one of them with queries: { other_name: 'SELECT * FROM …' }`);
    seen.set(spec.name.toLowerCase(), spec.what);
  }
  for (const [name, inc] of Object.entries(options.incremental ?? {})) {
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) {
      const suggestion = didYouMean(name, specs.map((s) => s.name));
      fail(`incremental.${name} names no source${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; sources are ${specs.map((s) => s.name).join(', ') || 'none'}`);
    }
    if (!Array.isArray(inc?.key) || inc.key.length === 0 || !inc.key.every((k) => typeof k === 'string') || typeof inc.cursor !== 'string') {
      fail(`incremental.${name} needs key: ['id'] (one or more columns) and cursor: 'updated_at'`);
    }
    spec.incremental = { key: [...inc.key], cursor: inc.cursor };
  }
  return specs;
}

/**
 * Source plugin: PostgreSQL tables and queries become DuckDB tables, copied with `COPY … TO STDOUT` and read by
 * DuckDB's `read_csv`, one transaction per table. Unchanged tables are skipped; incremental ones merge by key.
 *
 * @example
 * ```ts
 * export default defineConfig({
 *   plugins: [postgres({ url: process.env.DATABASE_URL, tables: ['public.customers', 'public.orders'],
 *     incremental: { orders: { key: ['id'], cursor: 'updated_at' } } }), validateSql()],
 * });
 * ```
 */
export function postgres(options: PostgresPluginOptions): Plugin {
  const specs = sourceSpecs(options);
  return definePlugin({
    name: 'postgres',
    async loadSources(ctx, { previous, claim }) {
      const loads: SourceLoad[] = [];
      const wanted: SourceSpec[] = [];
      for (const spec of specs) {
        const taken = claim?.(spec.name);
        if (taken === undefined) wanted.push(spec);
        else loads.push({ name: spec.name, error: { code: 'SOURCE_NAME_TAKEN', message: taken, hint: `load ${spec.what} under another name (queries: { other_name: 'SELECT …' }), or rename the metric; nothing was loaded` } });
      }
      if (wanted.length === 0) return loads;
      const url = options.url;
      if (url === undefined || url === '') {
        const error = { code: 'PG_CONNECTION_FAILED', message: 'postgres: no url (is DATABASE_URL set?)', hint: 'set the url option, e.g. url: process.env.DATABASE_URL, and export DATABASE_URL=postgres://user:password@host:5432/db' };
        return [...loads, ...wanted.map((spec) => ({ name: spec.name, error }))];
      }
      let client;
      try {
        client = await connect(url);
      } catch (error) {
        const diagnostic = connectionDiagnostic(error, url);
        return [...loads, ...wanted.map((spec) => ({ name: spec.name, error: diagnostic }))];
      }
      const dir = await mkdtemp(path.join(tmpdir(), 'duckmetrics-postgres-'));
      const user = decodeURIComponent(new URL(url).username) || 'the user of the url';
      ctx.logger.debug(`postgres: connected to ${describeUrl(url)}`);
      try {
        for (const spec of wanted) {
          // Cancelled (Ctrl-C in setup): stop before the next source; tables loaded so far stay.
          if (ctx.signal.aborted) break;
          loads.push(await loadSource(spec, { client, db: ctx.db, previous, dir, url, user }));
        }
      } finally {
        await client.end().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      }
      return loads;
    },
  });
}
