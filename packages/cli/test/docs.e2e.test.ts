import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import type { EventStream } from '../../catalog/test/event-stream.ts';
import { openEventStream } from '../../catalog/test/event-stream.ts';
import type { DocsServer } from './docs-server.ts';
import { startDocsServer } from './docs-server.ts';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
let server: DocsServer | undefined;
let events: EventStream | undefined;
afterEach(async () => {
  events?.close();
  await server?.stop();
  await project?.cleanup();
  project = server = events = undefined;
});

const files = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', description: 'Revenue per customer.', sql: 'SELECT customer_id, sum(amount) AS revenue\nFROM orders\nGROUP BY ALL' }),
  'metrics/top_customer.yaml': metricYaml({ metric_name: 'top_customer', sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
};

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe('duckmetrics docs (built CLI)', { timeout: 180_000 }, () => {
  it('writes one self-contained page with every metric, source and lineage edge (default out: site/)', async () => {
    project = await projectDir(files);
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    expect((await runCli(['run'], project.dir)).code).toBe(0);
    const docs = await runCli(['docs'], project.dir);
    expect(docs).toMatchObject({ code: 0, stderr: '' });
    expect(docs.stdout).toContain('wrote site/index.html: 2 metrics, 1 source, 2 lineage edges');
    const html = await readFile(project.path('site', 'index.html'), 'utf8');
    for (const name of ['revenue', 'top_customer']) expect(html).toContain(`id="metric-${name}"`);
    expect(html).toContain('id="source-orders"');
    expect(html.match(/<path class="edge"/g)).toHaveLength(2);
    expect(html).not.toContain('EventSource'); // live reload is only added when served

    const json = await runCli(['docs', '--json', '--out', 'out/catalog', '--cwd', project.dir], '/');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, out: project.path('out', 'catalog'), files: [project.path('out', 'catalog', 'index.html')], metrics: 2, sources: 1, edges: 2 });
  });

  it('renders a project whose sources are not loaded yet, showing the invalid metrics', async () => {
    project = await projectDir(files);
    const docs = await runCli(['docs', '--out', 'site'], project.dir);
    expect(docs.code).toBe(0);
    const html = await readFile(project.path('site', 'index.html'), 'utf8');
    expect(html).toContain('<span class="badge st-invalid">invalid</span>');
    expect(html).toContain('TABLE_UNKNOWN');
  });

  it('exits 2 on a bad --port', async () => {
    project = await projectDir(files);
    expect((await runCli(['docs', '--port', '8081'], project.dir)).code).toBe(2);
    const bad = await runCli(['docs', '--serve', '--port', 'http'], project.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number');
  });

  it('--serve answers on 127.0.0.1, rebuilds when a metric file or the database changes, and signals a reload', async () => {
    project = await projectDir(files);
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    server = await startDocsServer(project.dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const first = await get(server.url);
    expect(first.status).toBe(200);
    expect(first.body).toContain('Revenue per customer.');
    expect(first.body).toContain('new EventSource("/__duckmetrics/events")');
    expect(first.body).toContain('not run yet');

    events = await openEventStream(`${server.url}__duckmetrics/events`);
    const initial = Number((await events.next((e) => e.event === 'version')).data);
    await project.write({ 'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', description: 'Revenue per customer, edited.', sql: 'SELECT customer_id, sum(amount) AS revenue\nFROM orders\nGROUP BY ALL' }) });
    const edited = Number((await events.next((e) => e.event === 'version')).data);
    expect(edited).toBeGreaterThan(initial);
    expect((await get(server.url)).body).toContain('Revenue per customer, edited.');

    // A run in another process changes the database: the page shows its results without a file edit.
    expect((await runCli(['run', '--wait', '60'], project.dir)).code).toBe(0);
    await events.next((e) => e.event === 'version' && Number(e.data) > edited);
    const after = await get(server.url);
    expect(after.body).toMatch(/<span class="badge st-success">built<\/span> 2 rows/); // what the last run did, apart from the table

    expect(await server.stop()).toBe(143);
    expect(server.output()).toContain('rebuilt (changed: metrics/revenue.yaml)');
  });
});
