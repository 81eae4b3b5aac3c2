// Finding metric files: a walk of the metrics folder that stays inside the project and says what it could not read.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
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
  const real = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const realRoot = real(root) ?? path.resolve(root);
  const scan: MetricFileScan = { files: [], problems: [], ignored: [] };
  const seen = new Set<string>();
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  const problem = (p: string, code: string, message: string, hint: string): void => void scan.problems.push({ severity: 'error', code, file: rel(p), message, hint });

  const info = (p: string, follow: boolean): Stats | undefined => {
    try {
      return follow ? statSync(p) : lstatSync(p);
    } catch {
      return undefined;
    }
  };
  // Synchronous on purpose: the walk runs while DuckDB opens the database, and DuckDB's node binding runs its work
  // on the same libuv thread pool that asynchronous fs calls queue on (see readProjectFiles for what it measured).
  const walk = (folder: string, isRoot: boolean): void => {
    const resolved = real(folder) ?? folder;
    if (seen.has(resolved)) return;
    seen.add(resolved);
    let listing: Dirent[];
    try {
      listing = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isRoot && (code === 'ENOENT' || code === 'ENOTDIR')) return;
      problem(folder, 'DIR_UNREADABLE', `cannot read folder ${rel(folder) || '.'}: ${code ?? (error as Error).message}`, 'fix its permissions (metric files inside it would be left out), or move the metric files elsewhere');
      return;
    }
    for (const entry of listing.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const { name } = entry;
      const full = path.join(folder, name);
      if (name.startsWith('.') || name === 'node_modules') continue;
      // A Dirent answers like Stats; lstat only when the listing did not give the entry's type.
      let kind: Dirent | Stats | undefined = entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() ? entry : info(full, false);
      if (!kind) continue;
      if (kind.isSymbolicLink()) {
        const target = real(full);
        if (target === undefined) {
          if (METRIC_FILE.test(name)) problem(full, 'FILE_UNREADABLE', `${rel(full)} is a symbolic link to nothing`, 'remove the link, or point it at a metric file inside the project');
          continue;
        }
        if (!inside(realRoot, target)) {
          problem(full, 'FILE_OUTSIDE_PROJECT', `${rel(full)} is a symbolic link to a path outside the project; duckmetrics reads only files inside the project`, 'copy the file into the project instead of linking to it, or remove the link');
          continue;
        }
        kind = info(full, true);
        if (!kind) continue;
      }
      if (kind.isDirectory()) walk(full, false);
      else if (kind.isFile() && METRIC_FILE.test(name)) scan.files.push(full);
      else if (kind.isFile() && IGNORED_LOOKALIKE.test(name)) scan.ignored.push(rel(full));
    }
  };
  walk(path.resolve(dir), true);
  scan.files.sort();
  return scan;
}
