// Watching a project for changes (config, metric files, data) with chokidar, and what to watch for a given config.
import path from 'node:path';
import { watch } from 'chokidar';
import { engineOptions } from './engine-options.ts';
import type { GlobalFlags } from './flags/common-flags.ts';

/** A changed file, relative to the project root, and what it is to the project. */
export interface ProjectChange {
  file: string;
  kind: 'config' | 'metric' | 'data';
}

/** What to watch: the project root, the metrics folder, and what to leave out. */
export interface WatchTarget {
  root: string;
  metricsDir: string;
  /** The database file: its own writes (and its `.wal`) are not changes. */
  database: string;
  /** Config file names at the root (`CONFIG_SEARCH_PLACES`). */
  configNames: readonly string[];
}

/** A running watcher. */
export interface ProjectWatcher {
  close(): Promise<void>;
}

const IGNORED_DIRS = new Set(['node_modules', '.git', 'site', '.tmp']);

/**
 * Watches a project with chokidar (data files, metric files, config), and calls `onChanges` with the changes of a
 * burst once nothing changed for `debounceMs`. Dot-files, `node_modules`, editor swap files and the database itself
 * are ignored. Resolves once the initial scan is done, so a change made after that is seen.
 *
 * @example
 * ```ts
 * const watcher = await watchProject(target, 200, (changes) => console.log(changes));
 * await watcher.close();
 * ```
 */
export async function watchProject(target: WatchTarget, debounceMs: number, onChanges: (changes: ProjectChange[]) => void): Promise<ProjectWatcher> {
  const database = path.resolve(target.database);
  const ignored = (file: string): boolean => {
    const abs = path.resolve(file);
    if (abs === database || abs.startsWith(`${database}.`) || abs.startsWith(`${database}-`)) return true;
    const relative = path.relative(target.root, abs);
    const parts = relative.split(path.sep).filter((p) => p !== '' && p !== '..');
    if (parts.some((p) => p.startsWith('.') || IGNORED_DIRS.has(p))) return true;
    const base = path.basename(abs);
    return /(~|\.sw[px]|\.tmp|\.duckdb(\.wal)?)$/i.test(base) || /^(4913|#.*#)$/.test(base);
  };
  const kindOf = (abs: string): ProjectChange['kind'] => {
    if (path.dirname(abs) === target.root && target.configNames.includes(path.basename(abs))) return 'config';
    const inMetrics = !path.relative(target.metricsDir, abs).startsWith('..');
    return inMetrics && /\.ya?ml$/i.test(abs) ? 'metric' : 'data';
  };
  const watcher = watch([target.root, target.metricsDir], {
    ignoreInitial: true,
    ignored,
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
  });
  let pending = new Map<string, ProjectChange>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  watcher.on('all', (event, file) => {
    if (event === 'addDir') return;
    const abs = path.resolve(file);
    pending.set(abs, { file: path.relative(target.root, abs).split(path.sep).join('/'), kind: kindOf(abs) });
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const changes = [...pending.values()];
      pending = new Map();
      onChanges(changes);
    }, debounceMs);
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });
  return {
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** What to watch for a project, from the global flags (re-read after a config change). */
export async function watchTargetFor(flags: GlobalFlags): Promise<WatchTarget> {
  const { CONFIG_SEARCH_PLACES, loadConfig } = await import('@duckmetrics/core');
  const { cwd, configFile } = engineOptions(flags);
  const config = await loadConfig({ ...(cwd === undefined ? {} : { cwd }), ...(configFile === undefined ? {} : { configFile }) });
  return { root: config.root, metricsDir: config.metricsDir, database: config.database, configNames: CONFIG_SEARCH_PLACES };
}
