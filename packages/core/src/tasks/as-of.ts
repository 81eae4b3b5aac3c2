// The as-of reads of the API: one metric's version at a time (`engine.asOf`), and raw queries of the past (`engine.query(sql, { asOf })`).
import { quoteIdent } from '../database/sql.ts';
import { readSchemaTables } from '../database/introspection.ts';
import type { Session } from '../engine/session.ts';
import { DuckmetricsError } from '../errors.ts';
import { SNAPSHOT_SCHEMA } from '../project/namespace.ts';
import { readAsOfTime, rewriteAsOf } from '../snapshots/as-of.ts';
import { selectRows } from './select.ts';
import type { SelectResult } from './select.ts';

/**
 * The rows of metric `name` as they were published at `time` (its versions in `snapshots.<name>`), under the
 * sandbox, at most `limit` (default 100). A metric with no versions is `SNAPSHOT` with the fix.
 */
export async function readMetricAsOf(session: Session, name: string, time: string | Date, options: { limit?: number } = {}): Promise<SelectResult> {
  const db = await session.sandboxedDb();
  if (!(await readSchemaTables(db, SNAPSHOT_SCHEMA)).has(name.toLowerCase())) {
    throw new DuckmetricsError('SNAPSHOT', `${name} has no versions to read at a time (there is no ${SNAPSHOT_SCHEMA}.${name})`, {
      hint: `add snapshot: true (or snapshot: { key: [<columns>] }) to the metric file of ${name}; every build after that is kept (docs/snapshots.md)`,
    });
  }
  return selectRows(session, `SELECT * FROM ${quoteIdent(name)}`, { ...options, asOf: time });
}

/** Runs `sql` as `engine.query` does, with every snapshotted metric it reads replaced by its version at `asOf`. */
export async function queryAsOf<T>(session: Session, sql: string, asOf: string | Date): Promise<T[]> {
  const db = await session.db();
  const past = await rewriteAsOf(db, sql, await readAsOfTime(db, asOf));
  return db.all<T>(past.sql);
}
