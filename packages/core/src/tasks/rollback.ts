// The rollback verb: a metric's table swapped with the version published before it, with its state record.
import { randomUUID } from 'node:crypto';
import type { Session } from '../engine/session.ts';
import { DuckmetricsError } from '../errors.ts';
import { CORE_VERSION } from '../project/hashing.ts';
import type { RollbackResult } from '../preview/plan-types.ts';
import { readPreviousVersion, swapWithPreviousSql } from '../state/previous-versions.ts';
import { finishRunRecord, startRunRecord } from '../state/runs.ts';
import { readStateView } from '../state/state-view.ts';

/**
 * Puts back the version of `name`'s table that was published before the current one (kept by `run` and `publish`
 * unless `keepPreviousVersions` is off), in one transaction with its state record; the current version becomes
 * the previous one, so a second rollback undoes the first. The metric file is not touched: the next run rebuilds
 * the table when the file still differs from what the restored version was built from. Throws `USAGE` for a name
 * that is not a built metric.
 */
export async function rollbackMetric(session: Session, name: string, options: { now?: Date } = {}): Promise<RollbackResult> {
  const db = await session.db();
  const state = await readStateView(db);
  const key = name.toLowerCase();
  const metric = state.metrics.get(key);
  if (!metric) throw new DuckmetricsError('USAGE', `${name} is not a metric built in this database`, { hint: 'duckmetrics list shows the metrics' });
  const table = state.tables.get(key);
  const previous = await readPreviousVersion(db, metric.name);
  if (!previous || table?.type !== 'table') {
    const why = table?.type === 'view' ? `${metric.name} is a view: it holds no rows to put back (revert its SQL and run)` : `no previous version of ${metric.name} is kept (one is kept when run or publish replaces its table, unless keepPreviousVersions is off; clean drops them)`;
    return { ok: false, name: metric.name, rows: null, replacedRows: null, error: why };
  }
  const now = options.now ?? new Date();
  const started = performance.now();
  const runId = randomUUID();
  await db.run('BEGIN TRANSACTION');
  try {
    await startRunRecord(db, runId, 'rollback', JSON.stringify({ select: [metric.name] }), CORE_VERSION, now);
    await db.run(swapWithPreviousSql(table.name));
    const result = { name: metric.name, file: '', status: 'success' as const, reason: 'rolled back', errors: [], warnings: [], ...(previous.rows === null ? {} : { rows: previous.rows }) };
    await finishRunRecord(db, runId, { ok: true, metrics: [result], durationMs: Math.round(performance.now() - started) }, 'success', new Map(), now);
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const rollback: RollbackResult = { ok: true, name: metric.name, rows: previous.rows, replacedRows: metric.rows };
  session.emit('rollback:end', rollback);
  return rollback;
}
