// One build kept as a version in `snapshots.<metric>`: run inside the build's write-audit-publish transaction.
import type { Database } from '../database/database.ts';
import { readTableColumns } from '../database/introspection.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { DuckmetricsError } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import type { SnapshotSpec } from '../metrics/snapshot-spec.ts';
import { SNAPSHOT_SCHEMA } from '../project/namespace.ts';
import { planColumns } from './column-widening.ts';

/** The columns every version carries besides the metric's own. */
export const VALIDITY_COLUMNS: readonly string[] = ['_valid_from', '_valid_to'];

/** What writing a version did, for the run's result. */
export interface SnapshotWrite {
  /** Keys (or, without a key, rows) that got a new version because their values changed. */
  changed: number;
  /** New keys (without a key: every row of the build). */
  added: number;
  /** Keys whose current version was closed because the build no longer has them (without a key: the rows closed). */
  removed: number;
  /** Versions deleted by `keep`. */
  expired: number;
  /** Column changes the snapshot table followed, in words (`column x added: NULL in older versions`). */
  notes: string[];
}

const DIFF = '__duckmetrics_snapshot_diff';
const ROWID = '__duckmetrics_rowid';
const PRESENT = '__duckmetrics_in_build';

/** Creates the snapshot schema; called once before builds run in parallel, whose transactions would conflict creating it. */
export async function ensureSnapshotSchema(db: Database): Promise<void> {
  await db.run(`CREATE SCHEMA IF NOT EXISTS ${SNAPSHOT_SCHEMA}`);
}

/**
 * SQL that makes `snapshots.<name>` resolvable during validation (rolled back) before its first version exists: a
 * view of the metric's shape plus the validity columns; an existing snapshot table is left as it is.
 */
export function exposeSnapshotSql(name: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${SNAPSHOT_SCHEMA}; CREATE VIEW IF NOT EXISTS ${snapshotTable(name)} AS SELECT *, NULL::TIMESTAMPTZ AS _valid_from, NULL::TIMESTAMPTZ AS _valid_to FROM main.${quoteIdent(name)} LIMIT 0`;
}

/** `snapshots."name"`. */
export function snapshotTable(name: string): string {
  return `${SNAPSHOT_SCHEMA}.${quoteIdent(name)}`;
}

/**
 * Keeps the build in `from` (a schema and table holding the rows about to be published) as a version of `metric` at
 * `at`, inside the caller's transaction: with a key, the current versions of changed and removed keys are closed and
 * changed and new keys get a row (the comparison is DuckDB's `IS DISTINCT FROM` over the non-key columns: one join of
 * the build with the current versions, after a uniqueness count over the key columns); without one, every current version is closed and every row added. Throws
 * `SNAPSHOT` for a key that is missing or not unique, or a column whose type cannot be widened: the caller's
 * rollback keeps the table and its versions as they were.
 */
export async function writeSnapshot(db: Database, metric: Metric & { snapshot: SnapshotSpec }, from: { schema: string; table: string }, at: Date, proven?: ProvenKey): Promise<SnapshotWrite> {
  const spec = metric.snapshot;
  const source = `${from.schema}.${quoteIdent(from.table)}`;
  const target = snapshotTable(metric.name);
  const ts = `CAST(${quoteLiteral(at.toISOString())} AS TIMESTAMPTZ)`;
  const columns = await readTableColumns(db, from.schema, from.table);
  const fail = (message: string, hint: string): never => {
    throw new DuckmetricsError('SNAPSHOT', `snapshot of ${metric.name}: ${message}`, { file: metric.file, hint });
  };
  const reserved = columns.find((c) => VALIDITY_COLUMNS.includes(c.name.toLowerCase()));
  if (reserved) fail(`the metric has a column ${reserved.name}, which every version gets from duckmetrics`, `rename the column in the SQL (e.g. ${reserved.name}_at)`);
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  const key = spec.key.map((k) => byName.get(k.toLowerCase()) ?? fail(`snapshot.key names column ${k}, which the metric does not have`, `the columns are ${columns.map((c) => c.name).join(', ')}`));
  const result: SnapshotWrite = { changed: 0, added: 0, removed: 0, expired: 0, notes: [] };
  const existing = (await readTableColumns(db, SNAPSHOT_SCHEMA, metric.name)).filter((c) => !VALIDITY_COLUMNS.includes(c.name.toLowerCase()));
  const cols = columns.map((c) => quoteIdent(c.name));
  if (existing.length === 0) {
    await db.run(`CREATE TABLE ${target} AS SELECT *, ${ts} AS _valid_from, NULL::TIMESTAMPTZ AS _valid_to FROM ${source}`);
  } else {
    const plan = planColumns(existing, columns);
    if (plan.conflicts.length > 0) {
      const c = plan.conflicts[0]!;
      fail(`column ${c.name} changed type from ${c.from} to ${c.to}, which cannot hold every older version (or fit in their type)`, `cast it back in the SQL (${c.name}::${c.from}), or rename the column so both are kept; the table and its versions were kept as they were`);
    }
    const statements: string[] = [];
    for (const c of plan.added) statements.push(`ALTER TABLE ${target} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
    for (const c of plan.widened) statements.push(`ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(c.name)} TYPE ${c.to}`);
    if (statements.length > 0) await db.run(statements.join(';\n'));
    result.notes.push(
      ...plan.added.map((c) => `column ${c.name} added: NULL in older versions`),
      ...plan.removed.map((c) => `column ${c} removed: kept in older versions, NULL in new ones`),
      ...plan.widened.map((c) => `column ${c.name} widened from ${c.from} to ${c.to}`),
    );
  }
  if (key.length === 0) {
    if (existing.length > 0) {
      const [closed] = await db.all<{ Count?: number }>(`UPDATE ${target} SET _valid_to = ${ts} WHERE _valid_to IS NULL`);
      const [inserted] = await db.all<{ Count?: number }>(`INSERT INTO ${target} (${cols.join(', ')}, _valid_from) SELECT ${cols.join(', ')}, ${ts} FROM ${source}`);
      result.removed = Number(closed?.Count ?? 0);
      result.added = Number(inserted?.Count ?? 0);
    } else {
      result.added = Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))[0]?.n ?? 0);
    }
  } else {
    await writeKeyed(db, { metric: metric.name, source, target, ts, key, cols: columns.map((c) => c.name), first: existing.length === 0, ...(proven ? { proven } : {}) }, result, fail);
  }
  if (spec.keep !== undefined) {
    const [deleted] = await db.all<{ Count?: number }>(`DELETE FROM ${target} WHERE _valid_to < ${ts} - CAST(${quoteLiteral(spec.keep)} AS INTERVAL)`);
    result.expired = Number(deleted?.Count ?? 0);
  }
  return result;
}

/**
 * What the build already proved about the snapshot's key: passing error-severity `unique` and `not_null` checks on
 * one of its columns make the key unique and never NULL, so the first version needs no count of distinct keys.
 */
export interface ProvenKey {
  /** The build's row count. */
  rows: number;
}

interface KeyedWrite {
  proven?: ProvenKey;
  metric: string;
  source: string;
  target: string;
  ts: string;
  key: string[];
  cols: string[];
  first: boolean;
}

/**
 * The keyed write: one statement full-outer-joins the build with the current versions (one scan of each) into a
 * small temporary table of changed, new and removed keys; the current versions it names are closed by rowid, and its
 * new rows inserted. A key repeated in the build is found without another scan of it: the current versions are
 * unique per key, so after the write there is one current row per row of the build exactly when the build's keys
 * are unique and the rows it added repeat no key (docs/snapshots.md). The first version counts distinct keys.
 */
async function writeKeyed(db: Database, w: KeyedWrite, result: SnapshotWrite, fail: (message: string, hint: string) => never): Promise<void> {
  const keys = w.key.map(quoteIdent);
  const values = w.cols.filter((c) => !w.key.includes(c)).map(quoteIdent);
  const newCols = [...keys, ...values];
  const repeated = async (count: number): Promise<never> => {
    const [example] = await db.all<Record<string, unknown>>(`SELECT ${keys.join(', ')} FROM ${w.source} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
    return fail(`snapshot.key (${w.key.join(', ')}) is not unique: ${count} ${count === 1 ? 'row repeats a key' : 'rows repeat a key'}${example ? `, e.g. ${JSON.stringify(example, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}` : ''}`,
      'make the SQL return one row per key (GROUP BY the key), or name the columns that identify a row in snapshot.key');
  };
  if (w.first && w.proven) {
    result.added = w.proven.rows;
    return;
  }
  if (w.first) {
    // row(…) counts a NULL key as a value, as the join's IS NOT DISTINCT FROM does.
    const [unique] = await db.all<{ rows: number; keys: number }>(`SELECT count(*)::BIGINT AS rows, count(DISTINCT row(${keys.join(', ')}))::BIGINT AS keys FROM ${w.source}`);
    if (Number(unique!.rows) > Number(unique!.keys)) await repeated(Number(unique!.rows) - Number(unique!.keys));
    result.added = Number(unique!.rows);
    return;
  }
  const current = `SELECT rowid AS ${ROWID}, ${keys.join(', ')}${values.map((c) => `, ${c}`).join('')} FROM ${w.target} WHERE _valid_to IS NULL`;
  const changed = values.map((c) => `n.${c} IS DISTINCT FROM o.${c}`);
  await db.run(`CREATE TEMP TABLE ${DIFF} AS
    SELECT o.${ROWID}, n.${PRESENT}, ${newCols.map((c) => `n.${c}`).join(', ')}
    FROM (SELECT ${newCols.join(', ')}, true AS ${PRESENT} FROM ${w.source}) n FULL OUTER JOIN (${current}) o ON ${keys.map((k) => `n.${k} IS NOT DISTINCT FROM o.${k}`).join(' AND ')}
    WHERE n.${PRESENT} IS NULL OR o.${ROWID} IS NULL${changed.length > 0 ? ` OR ${changed.join(' OR ')}` : ''}`);
  try {
    const [counts] = await db.all<{ changed: number; added: number; removed: number }>(
      `SELECT count(*) FILTER (WHERE ${PRESENT} AND ${ROWID} IS NOT NULL)::INTEGER AS changed, count(*) FILTER (WHERE ${ROWID} IS NULL)::INTEGER AS added,
              count(*) FILTER (WHERE ${PRESENT} IS NULL)::INTEGER AS removed FROM ${DIFF}`,
    );
    await db.run(`UPDATE ${w.target} SET _valid_to = ${w.ts} WHERE rowid IN (SELECT ${ROWID} FROM ${DIFF} WHERE ${ROWID} IS NOT NULL)`);
    await db.run(`INSERT INTO ${w.target} (${newCols.join(', ')}, _valid_from) SELECT ${newCols.join(', ')}, ${w.ts} FROM ${DIFF} WHERE ${PRESENT}`);
    const [check] = await db.all<{ build: number; current: number; repeats: number }>(
      `SELECT (SELECT count(*) FROM ${w.source})::BIGINT AS build, (SELECT count(*) FROM ${w.target} WHERE _valid_to IS NULL)::BIGINT AS current,
              (SELECT count(*) - count(DISTINCT row(${keys.join(', ')})) FROM ${DIFF} WHERE ${PRESENT})::BIGINT AS repeats`,
    );
    const missing = Number(check!.build) - Number(check!.current);
    if (missing !== 0 || Number(check!.repeats) > 0) await repeated(Math.max(missing, 0) + Number(check!.repeats));
    Object.assign(result, counts);
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${DIFF}`);
  }
}
