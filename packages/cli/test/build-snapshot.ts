// A private copy of the built packages for one test file, so that a build elsewhere in this tree cannot change the
// CLI under a running test.
//
// Why: the e2e suites used to spawn packages/cli/dist/bin.js from the working tree. Any `npm run build` (or
// `npm test`, which builds first) in the same tree empties and rewrites packages/*/dist (tsup's `clean`), and a
// CLI started in that window cannot load its own files: `setup` exits with ERR_MODULE_NOT_FOUND, the sources are
// never loaded, and the next `run` reports the metrics that read them as invalid. That is how "revenue invalid"
// showed up in cli.e2e's selection test while other engineers were rebuilding dist/ in the same tree. With a copy
// taken when a test file starts, every command of that file runs one complete build.
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const snapshots = path.join(root, 'node_modules', '.cache', 'duckmetrics-test-builds');

interface Manifest {
  name: string;
  private?: boolean;
  files?: string[];
}

/**
 * Copies each published package's `files` (its build) and package.json to
 * `node_modules/.cache/duckmetrics-test-builds/<pid>-<id>/node_modules/<name>` and returns the copied CLI entry.
 * Third-party dependencies resolve from the repository's node_modules, as they do for the packages themselves; a
 * package's own node_modules is linked. The copy is removed after the test file's tests.
 *
 * @example
 * ```ts
 * const bin = snapshotBuild(); // …/duckmetrics-test-builds/4242-1a2b3c4d/node_modules/@duckmetrics/cli/dist/bin.js
 * ```
 */
export function snapshotBuild(): string {
  removeSnapshotsOfGoneProcesses();
  const dir = path.join(snapshots, `${process.pid}-${randomUUID().slice(0, 8)}`);
  // Registered while the test file is collected: removed when the file's tests are done. A run that was killed
  // leaves its copy behind; the next run removes it (its process is gone).
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const builds: string[] = [];
  for (const folder of readdirSync(path.join(root, 'packages'))) {
    const from = path.join(root, 'packages', folder);
    if (!existsSync(path.join(from, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as Manifest;
    if (manifest.private === true) continue;
    const to = path.join(dir, 'node_modules', manifest.name);
    mkdirSync(to, { recursive: true });
    for (const entry of ['package.json', ...(manifest.files ?? [])]) {
      if (existsSync(path.join(from, entry))) cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
    }
    if (existsSync(path.join(from, 'node_modules'))) symlinkSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'), 'dir');
    builds.push(path.join(to, 'dist'));
  }
  const cli = path.join(dir, 'node_modules', '@duckmetrics', 'cli', 'dist', 'bin.js');
  if (!existsSync(cli)) throw new Error('packages/cli/dist/bin.js is missing: run npm run build first');
  const missing = builds.flatMap(missingImports).map((file) => path.relative(path.join(dir, 'node_modules'), file));
  if (missing.length > 0) {
    throw new Error(`the build in packages/*/dist is incomplete (a build running in this tree?): ${missing.join(', ')} missing; run npm run build, then the tests`);
  }
  return cli;
}

/** Files that a build imports by relative path but that are not there (a build caught halfway). */
function missingImports(dist: string): string[] {
  const missing: string[] = [];
  for (const file of jsFiles(dist)) {
    const text = readFileSync(file, 'utf8');
    for (const [, target] of text.matchAll(/(?:from\s*|import\s*\(\s*)["'](\.\.?\/[^"']+)["']/g)) {
      const resolved = path.resolve(path.dirname(file), target!);
      if (!existsSync(resolved)) missing.push(resolved);
    }
  }
  return missing;
}

function jsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? jsFiles(file) : entry.name.endsWith('.js') ? [file] : [];
  });
}

function removeSnapshotsOfGoneProcesses(): void {
  if (!existsSync(snapshots)) return;
  for (const name of readdirSync(snapshots)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || !alive(pid)) rmSync(path.join(snapshots, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
