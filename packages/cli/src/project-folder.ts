// The project folder a command runs in: `--cwd` must name a folder, and a folder must look like a project before a
// command opens (and so creates) a database in it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GlobalFlags } from './flags/common-flags.ts';

/** Throws a `USAGE` error when `--cwd` names something that is not a folder. */
export async function checkCwd(flags: Pick<GlobalFlags, 'cwd'>): Promise<void> {
  if (flags.cwd === undefined) return;
  const dir = path.resolve(flags.cwd);
  const kind = existsSync(dir) ? (statSync(dir).isDirectory() ? 'folder' : 'file') : 'missing';
  if (kind === 'folder') return;
  const { DuckmetricsError } = await import('@duckmetrics/core');
  throw new DuckmetricsError('USAGE', kind === 'missing' ? `--cwd ${flags.cwd}: there is no folder ${dir}` : `--cwd ${flags.cwd}: ${dir} is a file, not a folder`, {
    hint: kind === 'missing'
      ? `check the path (it is read from ${process.cwd()}); duckmetrics init ${flags.cwd} starts a new project there`
      : 'pass the folder of a duckmetrics project (the one with metrics.config.ts), not a file in it',
  });
}

/**
 * Throws a `USAGE` error when the folder has nothing of a duckmetrics project: no config file (`--config` not
 * given), no `metrics/` and no `data/` folder. Opening the engine there would create `metrics.duckdb` in a folder
 * that was never meant to hold one (a home folder, a typo in `--cwd`).
 */
export async function checkProject(flags: Pick<GlobalFlags, 'cwd' | 'config'>): Promise<void> {
  if (flags.config !== undefined) return;
  const dir = path.resolve(flags.cwd ?? process.cwd());
  const { CONFIG_SEARCH_PLACES, DuckmetricsError } = await import('@duckmetrics/core');
  const hasConfig = CONFIG_SEARCH_PLACES.some((p) => (p === 'package.json' ? packageJsonHasConfig(path.join(dir, p)) : existsSync(path.join(dir, p))));
  if (hasConfig || existsSync(path.join(dir, 'metrics')) || existsSync(path.join(dir, 'data'))) return;
  throw new DuckmetricsError('USAGE', `no duckmetrics project in ${dir}: no metrics.config.ts, no metrics/ and no data/ folder (nothing was written)`, {
    hint: 'start one with duckmetrics init (here) or duckmetrics init my-metrics (a new folder), or pass --cwd to a project folder',
  });
}

function packageJsonHasConfig(file: string): boolean {
  try {
    return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { metrics?: unknown }).metrics !== undefined;
  } catch {
    return false;
  }
}
