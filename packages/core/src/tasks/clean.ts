// The clean verb: drops the metric tables duckmetrics built (with `all`, sources and state too), then the plugins' clean hooks.
import { quoteIdent } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Session } from '../engine/session.ts';
import { errorMessage } from '../errors.ts';
import { pluginErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { CleanResult } from '../results.ts';
import { QUARANTINE_SCHEMA, SNAPSHOT_SCHEMA } from '../project/namespace.ts';
import { readSchemaTables } from '../database/introspection.ts';
import { ensureStateSchema, STATE_SCHEMA } from '../state/schema.ts';
import { readStateView } from '../state/state-view.ts';
import { dropPreview } from '../state/plans.ts';
import { dropPreviousVersions } from '../state/previous-versions.ts';

/**
 * Drops what duckmetrics recorded building; a source's table is never dropped (unless `all`), nor the versions in
 * `snapshots` (unless `snapshots`: they are history no build can make again).
 */
export async function cleanProject(session: Session, options: { all?: boolean; snapshots?: boolean }): Promise<CleanResult> {
  const all = options.all ?? false;
  const db = await session.db();
  session.emit('clean:start', { all });
  const dropped: string[] = [];
  const errors: Diagnostic[] = [];
  const state = await readStateView(db);
  // A name a plugin loaded a source into is a source's, even when a metric was once built under it: kept.
  const names = [...state.metrics.values()].map((m) => m.name).filter((name) => all || !state.sources.has(name.toLowerCase()));
  if (all) names.push(...[...state.sources.values()].map((s) => s.name).filter((name) => !state.metrics.has(name.toLowerCase())));
  for (const name of names) {
    const entry = state.tables.get(name.toLowerCase());
    if (!entry) continue;
    try {
      await db.run(`DROP ${entry.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(entry.name)} CASCADE`);
      dropped.push(entry.name);
    } catch (error) {
      errors.push({ severity: 'error', code: 'CLEAN_FAILED', message: `cannot drop ${entry.name}: ${errorMessage(error)}` });
    }
  }
  if (options.snapshots) {
    for (const name of [...(await readSchemaTables(db, SNAPSHOT_SCHEMA))].sort()) dropped.push(`${SNAPSHOT_SCHEMA}.${name}`);
    await db.run(`DROP SCHEMA IF EXISTS ${SNAPSHOT_SCHEMA} CASCADE`);
  }
  await db.run(`DROP SCHEMA IF EXISTS ${QUARANTINE_SCHEMA} CASCADE`);
  await dropPreview(db);
  await dropPreviousVersions(db);
  await db.run(all ? `DROP SCHEMA IF EXISTS ${STATE_SCHEMA} CASCADE` : `DELETE FROM ${STATE_SCHEMA}.metrics; DELETE FROM ${STATE_SCHEMA}.build_journal`);
  if (all) await ensureStateSchema(db);
  const ctx = await session.context();
  for (const error of await (await session.plugins()).hookReverse('clean', [ctx, { all }])) errors.push(pluginErrorDiagnostic(error));
  const result: CleanResult = { ok: errors.length === 0, dropped, errors };
  session.emit('clean:end', result);
  return result;
}
