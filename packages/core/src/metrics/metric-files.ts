// Finding metric files: a walk of the metrics folder that stays inside the project and says what it could not read.
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';

/** What a scan of the metrics folder found. */
export interface MetricFileScan {
  /** Metric files (`.yaml` / `.yml`, any case), absolute, sorted. */
  files: string[];
  /** Problems with the folder itself, each naming a path relative to the root: unreadable folders, links out of the project. */
  problems: Diagnostic[];
  /** Files left out for their extension (`.sql`, `.json`, …), relative to the root. */
  ignored: string[];
}

const METRIC_FILE = /\.ya?ml$/i;
const IGNORED_LOOKALIKE = /\.(sql|json|txt|toml)$/i;

const inside = (root: string, target: string): boolean => {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Walks `dir` for metric files. Files and folders reached through a symbolic link are used only when the link's
 * target is inside `root`; a link that leads out is a `FILE_OUTSIDE_PROJECT` problem (its content is never read).
 * A folder that cannot be read is a `DIR_UNREADABLE` problem, not a silent gap. Dot-folders and `node_modules`
 * are skipped. A missing `dir` is an empty scan.
 */
export async function scanMetricFiles(dir: string, root: string): Promise<MetricFileScan> {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const scan: MetricFileScan = { files: [], problems: [], ignored: [] };
  const seen = new Set<string>();
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  const problem = (p: string, code: string, message: string, hint: string): void => void scan.problems.push({ severity: 'error', code, file: rel(p), message, hint });

  const walk = async (folder: string, isRoot: boolean): Promise<void> => {
    const real = await realpath(folder).catch(() => folder);
    if (seen.has(real)) return;
    seen.add(real);
    let handle;
    try {
      handle = await opendir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isRoot && (code === 'ENOENT' || code === 'ENOTDIR')) return;
      problem(folder, 'DIR_UNREADABLE', `cannot read folder ${rel(folder) || '.'}: ${code ?? (error as Error).message}`, 'fix its permissions (metric files inside it would be left out), or move the metric files elsewhere');
      return;
    }
    const entries: Array<{ name: string; full: string }> = [];
    for await (const entry of handle) entries.push({ name: entry.name, full: path.join(folder, entry.name) });
    for (const { name, full } of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      let info = await lstat(full).catch(() => undefined);
      if (!info) continue;
      if (info.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target === undefined) {
          if (METRIC_FILE.test(name)) problem(full, 'FILE_UNREADABLE', `${rel(full)} is a symbolic link to nothing`, 'remove the link, or point it at a metric file inside the project');
          continue;
        }
        if (!inside(realRoot, target)) {
          problem(full, 'FILE_OUTSIDE_PROJECT', `${rel(full)} is a symbolic link to a path outside the project; duckmetrics reads only files inside the project`, 'copy the file into the project instead of linking to it, or remove the link');
          continue;
        }
        info = await stat(full).catch(() => undefined);
        if (!info) continue;
      }
      if (info.isDirectory()) await walk(full, false);
      else if (info.isFile() && METRIC_FILE.test(name)) scan.files.push(full);
      else if (info.isFile() && IGNORED_LOOKALIKE.test(name)) scan.ignored.push(rel(full));
    }
  };
  await walk(path.resolve(dir), true);
  scan.files.sort();
  return scan;
}
