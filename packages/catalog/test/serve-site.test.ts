import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteServer } from '../src/index.ts';
import { RELOAD_PATH, serveSite } from '../src/index.ts';
import type { EventStream } from './event-stream.ts';
import { openEventStream } from './event-stream.ts';

let server: SiteServer | undefined;
let events: EventStream | undefined;
afterEach(async () => {
  events?.close();
  await server?.close();
  server = events = undefined;
});

function get(url: string, init: { method?: string; host?: string } = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.host ? { host: init.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveSite', () => {
  it('serves the site on 127.0.0.1 with the live-reload script added to HTML pages', async () => {
    server = await serveSite({ port: 0, build: async () => ({ 'index.html': '<!doctype html><body><h1>v1</h1></body>' }) });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await get(server.url);
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('<h1>v1</h1>');
    expect(index.body).toMatch(/new EventSource\("\/__duckmetrics\/events"\)[\s\S]*<\/script>\n<\/body>/);
    expect((await get(`${server.url}index.html`)).status).toBe(200);
    expect((await get(`${server.url}nope.html`)).status).toBe(404);
    expect((await get(server.url, { method: 'POST' })).status).toBe(405);
    expect((await get(server.url, { host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('rebuilds on request and tells open pages the new version', async () => {
    let n = 0;
    server = await serveSite({ port: 0, build: async () => ({ 'index.html': `<body>build ${++n}</body>` }) });
    events = await openEventStream(`http://127.0.0.1:${server.port}${RELOAD_PATH}`);
    expect(await events.next((e) => e.event === 'version')).toEqual({ event: 'version', data: '1' });
    await server.rebuild();
    expect(await events.next((e) => e.event === 'version')).toEqual({ event: 'version', data: '2' });
    expect((await get(server.url)).body).toContain('build 2');
  });

  it('keeps the last good build when a rebuild fails, and reports the error to open pages', async () => {
    let fail = false;
    const outcomes: Array<{ version: number; error?: unknown }> = [];
    server = await serveSite({
      port: 0,
      build: async () => {
        if (fail) throw new Error('metrics.config.ts: <bad> config');
        return { 'index.html': '<body>good</body>' };
      },
      onBuild: (o) => outcomes.push(o),
    });
    events = await openEventStream(`http://127.0.0.1:${server.port}${RELOAD_PATH}`);
    fail = true;
    await server.rebuild();
    expect(await events.next((e) => e.event === 'build-error')).toEqual({ event: 'build-error', data: 'metrics.config.ts: <bad> config' });
    expect((await get(server.url)).body).toContain('good');
    expect(outcomes.map((o) => [o.version, o.error === undefined])).toEqual([[1, true], [1, false]]);
  });

  it('serves an error page that reloads itself when the first build fails', async () => {
    server = await serveSite({ port: 0, build: async () => Promise.reject(new Error('config <broken>')) });
    const page = await get(server.url);
    expect(page.status).toBe(500);
    expect(page.body).toContain('config &lt;broken&gt;');
    expect(page.body).toContain('EventSource');
  });

  it('coalesces rebuilds requested while one runs', async () => {
    let builds = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    server = await serveSite({
      port: 0,
      build: async () => {
        if (++builds === 2) await gate;
        return { 'index.html': `<body>${builds}</body>` };
      },
    });
    const running = server.rebuild();
    const queued = [server.rebuild(), server.rebuild()];
    release();
    await Promise.all([running, ...queued]);
    expect(builds).toBe(3); // the first build, the running rebuild, then one more for the two requests made meanwhile
    expect((await get(server.url)).body).toContain('<body>3<script>');
  });
});
