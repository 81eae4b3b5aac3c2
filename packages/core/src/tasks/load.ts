// The load verb (`duckmetrics setup`): the plugins' loadSources hooks, names claimed before anything is written,
// each load recorded in the state, sources whose files are gone reported (and dropped with `prune`).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Session } from '../engine/session.ts';
import { pluginErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import { relativeFile } from '../metrics/metric-loader.ts';
import { isReservedName, namesHeldByMetrics, SNAPSHOT_SCHEMA, STAGING_PREFIX } from '../project/namespace.ts';
import type { LoadResult, SourceResult } from '../results.ts';
import { forgetSource, recordSource } from '../state/builds.ts';
import { sourceFileChanges } from '../state/source-files.ts';
import { readStateView } from '../state/state-view.ts';

/** Options of `engine.load()`. */
export interface LoadOptions {
  /** Hand plugins no previous fingerprints: every source is reloaded. */
  force?: boolean;
  /** Drop the tables of sources whose files are gone (`setup --prune`). */
  prune?: boolean;
}

/**
 * Loads source tables through every plugin's `loadSources` hook, in order. Plugins may skip a source whose
 * fingerprint did not change since it was loaded; `force` hands them no previous fingerprints. A name held by a
 * built metric's table, reserved, or taken by another source of this load is refused before the plugin writes it.
 */
export async function loadSources(session: Session, options: LoadOptions): Promise<LoadResult> {
  const config = await session.config();
  const db = await session.unlockedDb();
  const ctx = await session.context();
  const state = await readStateView(db);
  const previous = new Map<string, { fingerprint: string | null; rows: number | null }>();
  if (!options.force) {
    for (const [key, { name, fingerprint, rows }] of state.sources) if (state.tables.has(key)) previous.set(name, { name, fingerprint, rows } as { fingerprint: string | null; rows: number | null });
  }
  const held = namesHeldByMetrics(state);
  const claimed = new Map<string, string>();
  const claim = (name: string, from?: string): string | undefined => {
    const key = name.toLowerCase();
    const what = from === undefined ? `table ${name}` : relativeFile(config.root, from);
    if (isReservedName(name)) return `${what} would load into "${name}": names starting with "${STAGING_PREFIX}" or "${SNAPSHOT_SCHEMA}." are reserved for duckmetrics' staging tables and snapshots`;
    const metric = held.get(key);
    if (metric !== undefined) return `${what} would load into table "${name}", which is ${metric}: loading it would replace the metric's table`;
    const other = claimed.get(key);
    if (other !== undefined && other !== what) return `${what} and ${other} both load into table "${name}" (table names compare case-insensitively): only ${other} was loaded`;
    claimed.set(key, what);
    return undefined;
  };

  const plugins = await session.plugins();
  session.emit('load:start', { plugins: plugins.plugins('loadSources').map((p) => p.name) });
  const sources: SourceResult[] = [];
  const errors: Diagnostic[] = [];
  await plugins.hookSequential('loadSources', [ctx, { previous, claim }], async ({ plugin, value, error }) => {
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
        const file = load.path === undefined ? undefined : await stat(load.path).catch(() => undefined);
        await recordSource(db, {
          name: load.name, plugin: plugin.name, ...(source.file === undefined ? {} : { file: source.file }), ...(load.rows === undefined ? {} : { rows: load.rows }),
          ...(load.fingerprint === undefined ? {} : { fingerprint: load.fingerprint }), ...(file ? { fileSize: file.size, fileMtimeMs: file.mtimeMs } : {}),
        });
      }
      sources.push(source);
      session.emit('source:loaded', source);
    }
  });

  const reported = new Set(sources.map((s) => s.name.toLowerCase()));
  for (const gone of await sourceFileChanges(config.root, state.sources)) {
    if (gone.change !== 'missing' || reported.has(gone.name.toLowerCase())) continue;
    const source = await reportMissing(session, gone, state.sources.get(gone.name.toLowerCase())?.plugin ?? 'unknown', options.prune === true && !state.metrics.has(gone.name.toLowerCase()));
    sources.push(source);
    session.emit('source:loaded', source);
  }
  const result: LoadResult = { ok: errors.length === 0 && sources.every((s) => s.status !== 'failed'), sources, errors };
  session.emit('load:end', result);
  return result;
}

/** A source whose file is gone: reported with a warning, or (with `prune`) its table dropped and forgotten. */
async function reportMissing(session: Session, gone: { name: string; file: string }, plugin: string, prune: boolean): Promise<SourceResult> {
  const db = await session.db();
  if (prune) {
    await db.run(`DROP TABLE IF EXISTS ${quoteIdent(gone.name)}`);
    await forgetSource(db, gone.name);
    return { name: gone.name, file: gone.file, plugin, status: 'pruned' };
  }
  const where = path.normalize(gone.file);
  return {
    name: gone.name, file: gone.file, plugin, status: 'missing',
    error: {
      severity: 'warning', code: 'SOURCE_FILE_MISSING', plugin, file: where,
      message: `source ${gone.name} was loaded from ${where}, which no longer exists; its table is stale and metrics reading it will not be built`,
      hint: `restore ${where}, or run duckmetrics setup --prune to drop table ${gone.name}`,
    },
  };
}
