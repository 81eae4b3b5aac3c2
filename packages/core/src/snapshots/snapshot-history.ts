// The versions of a snapshot over time, for the catalog: rows valid after each version, and the keys it changed, added and removed.
import type { CatalogSnapshotVersion } from '../catalog.ts';
import type { Database } from '../database/database.ts';
import { quoteIdent } from '../database/sql.ts';
import { snapshotTable } from './snapshot-write.ts';

/** How many of the latest versions the catalog shows. */
export const CATALOG_VERSIONS = 60;

/**
 * The last `limit` versions of `snapshots.<name>`, oldest first, computed in DuckDB: a version is a time at which
 * some row opened or closed; its rows are those valid from then on (a running sum of opened minus closed rows);
 * with a key, a key whose row closed and reopened at that time is changed, one only opened is new, one only closed
 * is removed. Without a key every opened row counts as new and every closed one as removed.
 */
export async function readSnapshotHistory(db: Database, name: string, key: readonly string[], limit: number = CATALOG_VERSIONS): Promise<CatalogSnapshotVersion[]> {
  const table = snapshotTable(name);
  const keys = key.map(quoteIdent);
  const same = (a: string, b: string): string => [`${a}.v = ${b}.v`, ...keys.map((k) => `${a}.${k} IS NOT DISTINCT FROM ${b}.${k}`)].join(' AND ');
  const keyed = keys.length > 0;
  const cols = keyed ? `, ${keys.join(', ')}` : '';
  const rows = await db.all<{ at: string; rows: number; changed: number; added: number; removed: number }>(`
    WITH opened AS (SELECT _valid_from AS v${cols} FROM ${table}),
         closed AS (SELECT _valid_to AS v${cols} FROM ${table} WHERE _valid_to IS NOT NULL),
         o AS (SELECT v, count(*) AS n${keyed ? `, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM closed c WHERE ${same('c', 'opened')})) AS reopened` : ', 0 AS reopened'} FROM opened GROUP BY v),
         c AS (SELECT v, count(*) AS n FROM closed GROUP BY v),
         points AS (SELECT coalesce(o.v, c.v) AS v, coalesce(o.n, 0) AS opened, coalesce(c.n, 0) AS closed, coalesce(o.reopened, 0) AS reopened FROM o FULL OUTER JOIN c ON o.v = c.v)
    SELECT strftime(v AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS at,
           (sum(opened - closed) OVER (ORDER BY v))::BIGINT AS rows,
           reopened::BIGINT AS changed, (opened - reopened)::BIGINT AS added, (closed - reopened)::BIGINT AS removed
    FROM points ORDER BY v DESC LIMIT ${Math.max(1, Math.trunc(limit))}`);
  return rows.reverse().map((r) => ({ at: r.at, rows: Number(r.rows), changed: Number(r.changed), added: Number(r.added), removed: Number(r.removed) }));
}
