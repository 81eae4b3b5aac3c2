// `duckmetrics docs`: writes the catalog site, or serves it on 127.0.0.1 and rebuilds it when the project changes.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '@duckmetrics/core';
import { DuckmetricsError } from '@duckmetrics/core';
import pc from 'picocolors';
import { errorFields } from '../error-report.ts';
import { EXIT } from '../exit-codes.ts';
import { interruption } from '../interrupt.ts';
import { print, printJson } from '../output.ts';
import type { ProjectChange, ProjectWatcher, WatchTarget } from '../project-watcher.ts';
import { watchProject, watchTargetFor } from '../project-watcher.ts';
import { withEngine } from '../with-engine.ts';
import type { DocsFlags } from './docs.flags.ts';

/** Default port of `docs --serve` (like `dbt docs serve`). */
const DEFAULT_PORT = 8080;
/** How often `--serve` looks at the database file, to show the results of a `run` made elsewhere. */
const DATABASE_POLL_MS = 1000;
/**
 * Quiet time after a file change before rebuilding: longer than `dev`'s, so that when both watch the project `dev`
 * takes the database first and the rebuild waits for it (then shows its results).
 */
const DEBOUNCE_MS = 1000;

/**
 * `duckmetrics docs [--out DIR]` writes the catalog site (default `site/`, relative to `--cwd` like `--config`);
 * `docs --serve [--port N]` serves it on 127.0.0.1 and rebuilds it when metric files, config, data or the database
 * change, telling open pages to reload. The site is rendered by `@duckmetrics/catalog` from `engine.catalog()`.
 */
export default async function docs(flags: DocsFlags): Promise<number> {
  const { renderCatalogSite, serveSite, writeSite } = await import('@duckmetrics/catalog');
  const base = flags.cwd === undefined ? process.cwd() : path.resolve(flags.cwd);
  const out = flags.out !== undefined ? path.resolve(base, flags.out) : flags.serve ? undefined : path.resolve(base, 'site');
  // The site is a folder: a file (or anything else) in its place is a usage error with the fix, not a raw errno.
  const existing = out === undefined ? undefined : statSync(out, { throwIfNoEntry: false });
  if (out !== undefined && existing !== undefined && !existing.isDirectory()) {
    throw new DuckmetricsError('USAGE', `--out ${path.relative(base, out) || out} is a file, not a folder: the catalog site is a folder with index.html in it`, {
      hint: `choose a folder, e.g. --out ${path.join(path.relative(base, path.dirname(out)) || '.', 'site')}, or remove the file`,
    });
  }
  const render = async (renderFlags: DocsFlags): Promise<{ catalog: Catalog; site: Record<string, string> }> => {
    const catalog = await withEngine(renderFlags, (engine) => engine.catalog());
    const site = renderCatalogSite(catalog);
    if (out !== undefined) await writeSite(out, site);
    return { catalog, site };
  };

  if (!flags.serve) {
    if (flags.port !== undefined) throw new DuckmetricsError('USAGE', '--port only goes with --serve', { hint: 'duckmetrics docs --serve --port 8081' });
    const { catalog } = await render(flags);
    const index = path.join(out!, 'index.html');
    if (flags.json) {
      printJson({ ok: true, out, files: [index], metrics: catalog.metrics.length, sources: catalog.sources.length, edges: catalog.edges.length });
    } else {
      const n = (count: number, what: string): string => `${count} ${what}${count === 1 ? '' : 's'}`;
      print(`${pc.green('✓')} wrote ${path.relative(process.cwd(), index) || index}: ${n(catalog.metrics.length, 'metric')}, ${n(catalog.sources.length, 'source')}, ${n(catalog.edges.length, 'lineage edge')}`);
      print(pc.dim(`  open it in a browser: file://${index}`));
    }
    return EXIT.ok;
  }

  const port = parsePort(flags.port);
  // Builds open the database only briefly; wait for a `run` in another terminal instead of failing on its lock.
  const buildFlags: DocsFlags = { ...flags, wait: flags.wait ?? '30' };
  const resolveTarget = (): Promise<WatchTarget> => watchTargetFor(flags);
  let target = await resolveTarget();
  let building = false;
  let seenMtime = mtime(target.database);
  let databaseChanged = false;
  let reason = '';
  const log = (event: Record<string, unknown>, text: string): void => {
    if (flags.json) process.stdout.write(`${JSON.stringify(event)}\n`);
    else print(text);
  };

  let server: Awaited<ReturnType<typeof serveSite>>;
  try {
    server = await serveSite({
      port,
      build: async () => {
        building = true;
        try {
          return (await render(buildFlags)).site;
        } finally {
          seenMtime = mtime(target.database); // its own writes to the database are not changes
          databaseChanged = false;
          building = false;
        }
      },
      onBuild: ({ version, error }) => {
        const time = pc.dim(`[${new Date().toTimeString().slice(0, 8)}]`);
        if (error !== undefined) {
          const { code, message } = errorFields(error);
          log({ event: 'build', ok: false, error: { code, message } }, `${time} ${pc.red('build failed')} ${pc.dim(code)} ${message}`);
        } else if (version > 1) {
          log({ event: 'build', ok: true, version, reason }, `${time} rebuilt${reason ? pc.dim(` (${reason})`) : ''}`);
        }
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new DuckmetricsError('USAGE', `port ${port} is in use`, { hint: 'pick another with --port N (--port 0: any free port)' });
    throw error;
  }
  log({ event: 'serving', url: server.url }, `Serving the catalog at ${pc.cyan(server.url)} ${pc.dim('(live reload; Ctrl-C to stop)')}`);

  const rebuild = (why: string): void => {
    reason = why;
    void server.rebuild();
  };
  const onChanges = (changes: ProjectChange[]): void => {
    const relevant = out === undefined ? changes : changes.filter((c) => path.relative(out, path.resolve(target.root, c.file)).startsWith('..'));
    if (relevant.length === 0) return;
    if (relevant.some((c) => c.kind === 'config')) {
      resolveTarget()
        .then(async (t) => {
          target = t;
          await rewatch(t);
        })
        .catch(() => {}); // a broken config shows up as a failed build
    }
    rebuild(`changed: ${relevant.map((c) => c.file).join(', ')}`);
  };
  let watcher: ProjectWatcher | undefined;
  const rewatch = async (t: WatchTarget): Promise<void> => {
    await watcher?.close();
    watcher = await watchProject(t, DEBOUNCE_MS, onChanges);
  };
  // The database changes when a `run` elsewhere finishes: rebuild once its modification time has settled.
  const poll = setInterval(() => {
    if (building || target.database === ':memory:') return;
    const now = mtime(target.database);
    if (now !== seenMtime) {
      seenMtime = now;
      databaseChanged = true;
    } else if (databaseChanged) {
      databaseChanged = false;
      rebuild('database changed');
    }
  }, DATABASE_POLL_MS);
  await rewatch(target);

  await new Promise<void>((resolve) => {
    if (interruption.signal.aborted) resolve();
    else interruption.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(poll);
  await watcher?.close();
  await server.close();
  log({ event: 'stopped' }, pc.dim('stopped serving'));
  return EXIT.ok;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DuckmetricsError('USAGE', `--port must be a whole number from 0 to 65535, got "${value}"`, { hint: '--port 0 picks any free port' });
  }
  return port;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
