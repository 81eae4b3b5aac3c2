// The project cache inside validate: the config's own key, and writing back what this validation learnt.
import { readFile } from 'node:fs/promises';
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';
import type { ResolvedConfig } from '../plugins/plugin.ts';
import { CORE_VERSION, sha256 } from '../project/hashing.ts';
import type { Project } from '../project/load-project.ts';
import type { CachedFile } from '../state/project-cache.ts';
import { writeProjectCache } from '../state/project-cache.ts';

/**
 * What of the config decides validation: the tool version, the config file's bytes (plugin options live there),
 * the sandbox, and each plugin's name and `validate` hook source (a plugin whose code changed validates anew).
 */
export async function configKey(config: ResolvedConfig): Promise<string> {
  const file = config.configFile ? await readFile(config.configFile, 'utf8').catch(() => '') : '';
  const plugins = config.plugins.map((p) => {
    const hook = p.validate as unknown;
    const handler = typeof hook === 'object' && hook !== null ? (hook as { handler?: unknown }).handler : hook;
    return [p.name, typeof handler === 'function' ? handler.toString() : ''];
  });
  return sha256(JSON.stringify([CORE_VERSION, file, config.sandbox, config.timezone, plugins]));
}

/**
 * Writes back the files whose entry changed: a file that read without errors keeps its metric and parse, and its
 * validation key when it is valid now. Files that are gone, or that now have errors of their own, are dropped.
 */
export async function saveProjectCache(
  db: Database,
  project: Project,
  cache: ReadonlyMap<string, CachedFile>,
  keys: ReadonlyMap<Metric, string>,
  warningsBefore: ReadonlyMap<Metric, number>,
): Promise<void> {
  const changed: CachedFile[] = [];
  const kept = new Set<string>();
  for (const metric of project.order) {
    const facts = project.facts.get(metric);
    const entry = project.entries.get(metric.file);
    if (!facts || !entry || kept.has(metric.file)) continue;
    const valid = entry.errors.length === 0;
    const { path: _path, ...data } = metric;
    const next: CachedFile = {
      file: metric.file,
      contentHash: facts.contentHash,
      metric: data,
      parsed: project.parsed.get(metric)!,
      warnings: facts.fileWarnings,
      validationKey: valid ? (keys.get(metric) ?? null) : null,
      validationWarnings: valid ? entry.warnings.slice(warningsBefore.get(metric) ?? entry.warnings.length) : [],
    };
    kept.add(metric.file);
    const old = facts.cached;
    if (old && old.validationKey === next.validationKey && JSON.stringify(old.validationWarnings) === JSON.stringify(next.validationWarnings)) continue;
    if (next.parsed) changed.push(next);
  }
  const removed = [...cache.keys()].filter((file) => !kept.has(file));
  await writeProjectCache(db, changed, removed);
}
