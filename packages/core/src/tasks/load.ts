// The load verb (`duckmetrics setup`): the plugins' loadSources hooks, each load recorded in the state.
import type { Diagnostic } from '../diagnostics.ts';
import type { Session } from '../engine/session.ts';
import { pluginErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import { relativeFile } from '../metrics/metric-loader.ts';
import type { LoadResult, SourceResult } from '../results.ts';
import { recordSource } from '../state/builds.ts';
import { readStateView } from '../state/state-view.ts';

/**
 * Loads source tables through every plugin's `loadSources` hook, in order. Plugins may skip a source whose
 * fingerprint did not change since it was loaded; `force` hands them no previous fingerprints.
 */
export async function loadSources(session: Session, options: { force?: boolean }): Promise<LoadResult> {
  const config = await session.config();
  const db = await session.unlockedDb();
  const ctx = await session.context();
  const previous = new Map<string, { fingerprint: string | null; rows: number | null }>();
  if (!options.force) {
    const state = await readStateView(db);
    for (const [key, { name, fingerprint, rows }] of state.sources) if (state.tables.has(key)) previous.set(name, { name, fingerprint, rows } as { fingerprint: string | null; rows: number | null });
  }
  const plugins = await session.plugins();
  session.emit('load:start', { plugins: plugins.plugins('loadSources').map((p) => p.name) });
  const sources: SourceResult[] = [];
  const errors: Diagnostic[] = [];
  await plugins.hookSequential('loadSources', [ctx, { previous }], async ({ plugin, value, error }) => {
    if (error) {
      errors.push(pluginErrorDiagnostic(error));
      return;
    }
    for (const load of value ?? []) {
      const source: SourceResult = { name: load.name, plugin: plugin.name, status: load.error ? 'failed' : load.unchanged ? 'unchanged' : 'loaded' };
      if (load.path !== undefined) source.file = relativeFile(config.root, load.path);
      if (load.rows !== undefined) source.rows = load.rows;
      if (load.durationMs !== undefined) source.durationMs = load.durationMs;
      if (load.error) {
        const { sqlLine: _l, sqlColumn: _c, sqlOffset: _o, ...rest } = load.error;
        source.error = { ...rest, severity: load.error.severity ?? 'error', plugin: plugin.name };
        if (source.file !== undefined && source.error.file === undefined) source.error.file = source.file;
      } else if (!load.unchanged) {
        await recordSource(db, { name: load.name, plugin: plugin.name, ...(source.file === undefined ? {} : { file: source.file }), ...(load.rows === undefined ? {} : { rows: load.rows }), ...(load.fingerprint === undefined ? {} : { fingerprint: load.fingerprint }) });
      }
      sources.push(source);
      session.emit('source:loaded', source);
    }
  });
  const result: LoadResult = { ok: errors.length === 0 && sources.every((s) => s.status !== 'failed'), sources, errors };
  session.emit('load:end', result);
  return result;
}
