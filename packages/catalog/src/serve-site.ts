import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from './internal/html.ts';

/** Where the page listens for rebuilds when served (Server-Sent Events). */
export const RELOAD_PATH = '/__duckmetrics/events';

/** Options for `serveSite`. */
export interface ServeSiteOptions {
  /** Makes the site's files (path → content); called once at start and again on every `rebuild()`. */
  build: () => Promise<Record<string, string>>;
  /** Port on 127.0.0.1; `0` picks a free one. Default `8080`. */
  port?: number;
  /** Told after every build, good or bad. */
  onBuild?: (outcome: { version: number; error?: unknown }) => void;
}

/** A running site server. */
export interface SiteServer {
  /** e.g. `http://127.0.0.1:8080/` */
  url: string;
  port: number;
  /** Builds again (coalescing calls made while a build runs) and tells open pages to reload. */
  rebuild(): Promise<void>;
  /** Stops listening and ends the open event streams. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8', svg: 'image/svg+xml', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', png: 'image/png' };

/** Added to HTML pages when served: reload when the site was rebuilt, show a build error in a banner. */
const RELOAD_SNIPPET = `<script>(function () {
  var seen = null;
  var source = new EventSource(${JSON.stringify(RELOAD_PATH)});
  source.addEventListener('version', function (e) { if (seen !== null && e.data !== seen) location.reload(); seen = e.data; });
  source.addEventListener('build-error', function (e) {
    var bar = document.getElementById('duckmetrics-build-error') || document.body.appendChild(document.createElement('pre'));
    bar.id = 'duckmetrics-build-error';
    bar.style.cssText = 'position:fixed;left:0;right:0;bottom:0;margin:0;padding:10px 14px;background:#cf222e;color:#fff;font:12px monospace;white-space:pre-wrap;z-index:9';
    bar.textContent = 'Rebuild failed (showing the last good build): ' + e.data;
  });
})();</script>`;

/**
 * Serves a generated site on 127.0.0.1 only, with live reload: pages get a small script that listens on
 * `RELOAD_PATH` and reloads when `rebuild()` produced a new version. A failed rebuild keeps the last good files and
 * shows the error in a banner. Requests whose `Host` is not this loopback address are refused (DNS rebinding).
 *
 * @example
 * ```ts
 * const server = await serveSite({ build: async () => renderCatalogSite(await engine.catalog()), port: 0 });
 * console.log(server.url); // http://127.0.0.1:41234/
 * ```
 */
export async function serveSite(options: ServeSiteOptions): Promise<SiteServer> {
  let files: Record<string, string> = {};
  let version = 0;
  let lastError: string | null = null;
  const streams = new Set<http.ServerResponse>();

  const send = (event: string, data: string): void => {
    const message = `event: ${event}\ndata: ${data.replace(/\n/g, '\ndata: ')}\n\n`;
    for (const res of streams) res.write(message);
  };

  const buildOnce = async (): Promise<void> => {
    try {
      files = await options.build();
      version++;
      lastError = null;
      options.onBuild?.({ version });
      send('version', String(version));
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      options.onBuild?.({ version, error });
      send('build-error', lastError);
    }
  };

  let running: Promise<void> | undefined;
  let again = false;
  const rebuild = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await buildOnce();
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };

  const server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) return plain(res, 403, 'Forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return plain(res, 400, 'Bad request');
    }
    if (pathname === RELOAD_PATH) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 1000\nevent: version\ndata: ${version}\n\n`);
      if (lastError !== null) res.write(`event: build-error\ndata: ${lastError.replace(/\n/g, '\ndata: ')}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const file = pathname.endsWith('/') ? `${pathname.slice(1)}index.html` : pathname.slice(1);
    let body = files[file];
    if (body === undefined) {
      if (version === 0 && lastError !== null) {
        // Nothing built yet: an error page that reloads itself once a rebuild succeeds.
        res.writeHead(500, { 'content-type': TYPES.html!, 'cache-control': 'no-store' });
        return res.end(`<!doctype html><meta charset="utf-8"><title>Build failed</title><pre>The site could not be built:\n${escapeHtml(lastError)}</pre>${RELOAD_SNIPPET}`);
      }
      return plain(res, 404, 'Not found');
    }
    const ext = file.slice(file.lastIndexOf('.') + 1);
    if (ext === 'html') {
      const end = body.lastIndexOf('</body>');
      body = end === -1 ? body + RELOAD_SNIPPET : `${body.slice(0, end)}${RELOAD_SNIPPET}\n${body.slice(end)}`;
    }
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  await rebuild();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    rebuild,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
}

