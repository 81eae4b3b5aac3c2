// The diff of a previewed table against the published one, computed in DuckDB in one pass over each side.
import type { Database } from '../database/database.ts';
import { quoteIdent, quoteLiteral } from '../database/sql.ts';
import { PREVIEW_SCHEMA } from '../project/namespace.ts';
import type { DiffColumn, DiffSampleRow, TableDiff } from './plan-types.ts';

/** Rows of a diff's sample unless asked otherwise. */
export const DEFAULT_DIFF_SAMPLE = 5;

const NUMERIC = /^(?:U?(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(?:\(\d+,\s*\d+\))?)$/i;
const SIDE = '__duckmetrics_side';

/** What is diffed: the metric's name (main schema vs preview schema) and how each side is stored. */
export interface DiffInput {
  name: string;
  key: string[] | null;
  /** The published object, if any. */
  before: { type: 'table' | 'view' } | undefined;
  after: { type: 'table' | 'view'; rows: number | null };
  sample?: number;
}

/**
 * Diffs `_duckmetrics_preview.<name>` against `main.<name>`. With a key, one FULL OUTER JOIN on the key
 * (`IS NOT DISTINCT FROM`: NULL keys match NULL keys) counts added, removed and changed keys and each column's
 * changed keys; without one, one GROUP BY over both sides' rows counts the multiset difference (what `EXCEPT ALL`
 * computes). Values are compared with `IS DISTINCT FROM`: NULL equals NULL, numbers exactly (1 = 1.0); a column
 * whose type changed between non-numeric types is compared as text. Only the sample comes into JS.
 */
export async function diffTables(db: Database, input: DiffInput): Promise<TableDiff> {
  const columns = await readBothColumns(db, input.name);
  const before = columns.get('main') ?? [];
  const after = columns.get(PREVIEW_SCHEMA) ?? [];
  const schema = schemaDiff(input.before ? before : [], after);
  const common = after.filter((c) => before.some((b) => same(b.name, c.name))).map((c) => ({ name: c.name, before: before.find((b) => same(b.name, c.name))!.type, after: c.type }));
  const key = input.key && input.key.every((k) => common.some((c) => same(c.name, k))) ? input.key : null;
  const rowsAfter = input.after.type === 'view' ? null : input.after.rows ?? (await count(db, `${PREVIEW_SCHEMA}.${quoteIdent(input.name)}`));
  const base: TableDiff = { key: input.key, rowsBefore: null, rowsAfter, added: null, removed: null, changed: null, schema, columns: {}, sample: [] };
  if (input.after.type === 'view' || input.before?.type === 'view') return base;
  if (!input.before) return { ...base, added: rowsAfter, removed: 0, changed: input.key ? 0 : null };
  const rowsBefore = await count(db, `main.${quoteIdent(input.name)}`);
  const sample = Math.max(0, Math.trunc(input.sample ?? DEFAULT_DIFF_SAMPLE));
  const sides = { before: `main.${quoteIdent(input.name)}`, after: `${PREVIEW_SCHEMA}.${quoteIdent(input.name)}` };
  return key ? { ...base, rowsBefore, ...(await keyedDiff(db, sides, key, common, sample)) } : { ...base, key: null, rowsBefore, ...(await multisetDiff(db, sides, common, sample)) };
}

type Common = Array<{ name: string; before: string; after: string }>;

async function keyedDiff(db: Database, sides: { before: string; after: string }, key: string[], common: Common, sample: number): Promise<Pick<TableDiff, 'added' | 'removed' | 'changed' | 'columns' | 'sample'>> {
  const isKey = (c: string): boolean => key.some((k) => same(k, c));
  const values = common.filter((c) => !isKey(c.name));
  const keys = key.map((k) => common.find((c) => same(c.name, k))!);
  const on = keys.map((k) => `${compared('a', k)} IS NOT DISTINCT FROM ${compared('b', k)}`).join(' AND ');
  const differs = values.map((c) => `${compared('a', c)} IS DISTINCT FROM ${compared('b', c)}`);
  const both = `a.${SIDE} AND b.${SIDE}`;
  const anyDiffers = differs.length > 0 ? `(${differs.join(' OR ')})` : 'false';
  const kind = `CASE WHEN b.${SIDE} IS NULL THEN 2 WHEN a.${SIDE} IS NULL THEN 1 ELSE 0 END`;
  const keyStruct = `{${keys.map((k) => `${quoteLiteral(k.name)}: coalesce(${compared('a', k)}, ${compared('b', k)})`).join(', ')}}`;
  const struct = (alias: string): string => `{${common.map((c) => `${quoteLiteral(c.name)}: ${alias}.${quoteIdent(c.name)}`).join(', ')}}`;
  const [row] = await db.all<Record<string, unknown>>(`SELECT
      count(*) FILTER (WHERE b.${SIDE} IS NULL) AS added,
      count(*) FILTER (WHERE a.${SIDE} IS NULL) AS removed,
      count(*) FILTER (WHERE ${both} AND ${anyDiffers}) AS changed
      ${differs.map((d, i) => `, count(*) FILTER (WHERE ${both} AND ${d}) AS c${i}`).join('')}
      ${sample > 0 ? `, arg_min({'kind': ${kind}, 'key': ${keyStruct}, 'before': ${struct('b')}, 'after': ${struct('a')}}, {'kind': ${kind}, 'key': ${keyStruct}}, ${sample})
          FILTER (WHERE b.${SIDE} IS NULL OR a.${SIDE} IS NULL OR ${anyDiffers}) AS sample` : ''}
    FROM (SELECT *, true AS ${SIDE} FROM ${sides.after}) AS a FULL OUTER JOIN (SELECT *, true AS ${SIDE} FROM ${sides.before}) AS b ON ${on}`);
  const columns: Record<string, number> = {};
  values.forEach((c, i) => (columns[c.name] = Number(row?.[`c${i}`] ?? 0)));
  const rows = (row?.sample as Array<{ kind: number; key: Record<string, unknown>; before: Record<string, unknown>; after: Record<string, unknown> }> | null) ?? [];
  return {
    added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0), changed: Number(row?.changed ?? 0), columns,
    sample: rows.map((r): DiffSampleRow => ({ key: r.key, before: r.kind === 2 ? null : r.before, after: r.kind === 1 ? null : r.after })),
  };
}

async function multisetDiff(db: Database, sides: { before: string; after: string }, common: Common, sample: number): Promise<Pick<TableDiff, 'added' | 'removed' | 'changed' | 'columns' | 'sample'>> {
  if (common.length === 0) {
    return { added: await count(db, sides.after), removed: await count(db, sides.before), changed: null, columns: {}, sample: [] };
  }
  const cols = common.map((_, i) => `c${i}`);
  const select = (alias: 'a' | 'b', table: string, side: boolean): string =>
    `SELECT ${common.map((c, i) => `${compared(alias, c)} AS c${i}`).join(', ')}, ${side} AS ${SIDE} FROM ${table} AS ${alias}`;
  const rowStruct = `{${common.map((c, i) => `${quoteLiteral(c.name)}: c${i}`).join(', ')}}`;
  const [row] = await db.all<Record<string, unknown>>(`SELECT
      sum(greatest(n_after - n_before, 0)) AS added, sum(greatest(n_before - n_after, 0)) AS removed
      ${sample > 0 ? `, arg_min({'added': n_after > n_before, 'row': ${rowStruct}}, hash(${cols.join(', ')}), ${sample}) FILTER (WHERE n_after <> n_before) AS sample` : ''}
    FROM (SELECT ${cols.join(', ')}, count(*) FILTER (WHERE ${SIDE}) AS n_after, count(*) FILTER (WHERE NOT ${SIDE}) AS n_before
      FROM (${select('a', sides.after, true)} UNION ALL ${select('b', sides.before, false)}) GROUP BY ${cols.join(', ')})`);
  const rows = (row?.sample as Array<{ added: boolean; row: Record<string, unknown> }> | null) ?? [];
  return {
    added: Number(row?.added ?? 0), removed: Number(row?.removed ?? 0), changed: null, columns: {},
    sample: rows.map((r): DiffSampleRow => ({ key: null, before: r.added ? null : r.row, after: r.added ? r.row : null })),
  };
}

/** A column as compared: itself, or as text when its type changed between types that are not both numbers. */
function compared(alias: 'a' | 'b', c: { name: string; before: string; after: string }): string {
  const ref = `${alias}.${quoteIdent(c.name)}`;
  return c.before === c.after || (NUMERIC.test(c.before) && NUMERIC.test(c.after)) ? ref : `CAST(${ref} AS VARCHAR)`;
}

function schemaDiff(before: DiffColumn[], after: DiffColumn[]): TableDiff['schema'] {
  return {
    added: after.filter((a) => !before.some((b) => same(a.name, b.name))),
    removed: before.filter((b) => !after.some((a) => same(a.name, b.name))),
    changed: after.flatMap((a) => {
      const b = before.find((x) => same(x.name, a.name));
      return b && b.type !== a.type ? [{ name: a.name, before: b.type, after: a.type }] : [];
    }),
  };
}

/** Columns of `name` in the main and preview schemas (tables and views), in column order. */
async function readBothColumns(db: Database, name: string): Promise<Map<string, DiffColumn[]>> {
  const rows = await db.all<{ s: string; name: string; type: string }>(
    `SELECT schema_name AS s, column_name AS name, data_type AS type FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name IN ('main', ${quoteLiteral(PREVIEW_SCHEMA)}) AND lower(table_name) = ${quoteLiteral(name.toLowerCase())}
     ORDER BY column_index`,
  );
  const out = new Map<string, DiffColumn[]>();
  for (const r of rows) out.set(r.s, [...(out.get(r.s) ?? []), { name: r.name, type: r.type }]);
  return out;
}

async function count(db: Database, table: string): Promise<number> {
  return Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
