// `duckmetrics serve`: the metric API over the bundled example: routes, status codes, Host check, OpenAPI, a run while serving.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { killAllCli, spawnCli } from './spawn-cli.ts';
import type { RunningCli } from './spawn-cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let work: string;
let project: string;
let server: RunningCli;
let base: string;

/** A GET with any Host header (fetch may not set Host). */
function get(url: string, options: { host?: string; method?: string } = {}): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-serve-'));
  project = path.join(work, 'customer-metrics');
  await cp(path.join(root, 'examples', 'customer-metrics'), project, { recursive: true });
  expect((await runCli(['setup'], project)).code).toBe(0);
  expect((await runCli(['run'], project)).code).toBe(0);
  server = spawnCli(['serve', '--port', '0', '--json'], project);
  const out = await server.waitFor((s) => /"url"/.test(s));
  base = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0];
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await killAllCli();
  await rm(work, { recursive: true, force: true });
});

describe('duckmetrics serve', () => {
  it('lists the metrics with measures, dimensions and time, and describes one', async () => {
    const list = await get(`${base}api/metrics`);
    expect(list.status).toBe(200);
    const orderValues = list.body.metrics.find((m: { name: string }) => m.name === 'order_values');
    expect(orderValues).toMatchObject({ time: 'purchased_at', dimensions: ['customer_state'], measures: expect.arrayContaining([{ name: 'orders', expr: 'count(*)' }]) });
    expect((await get(`${base}api/metrics/order_values`)).body.metric).toEqual(orderValues);
    expect((await get(`${base}api/metrics/nope`)).status).toBe(404);
  });

  it('answers a query with the same JSON as the CLI', async () => {
    const http = await get(`${base}api/metrics/order_values/query?measures=revenue,aov&by=customer_state&grain=quarter&from=2017-01-01&to=2018-01-01&where=${encodeURIComponent("customer_state IN ('SP', 'RJ')")}&compare=previous_period`);
    expect(http.status).toBe(200);
    const cli = await runCli(['query', 'order_values', '--measures', 'revenue,aov', '--by', 'customer_state', '--grain', 'quarter', '--from', '2017-01-01', '--to', '2018-01-01', '--where', "customer_state IN ('SP', 'RJ')", '--compare', 'previous_period', '--json'], project);
    expect(http.body).toEqual(JSON.parse(cli.stdout));
    expect(http.body.rows).toHaveLength(8);
    expect(http.body.columns.map((c: { name: string }) => c.name)).toEqual(['quarter', 'customer_state', 'revenue', 'aov', 'revenue_previous', 'revenue_change', 'aov_previous', 'aov_change']);
  });

  it('bad parameters are 400 with the diagnostics the CLI prints', async () => {
    const http = await get(`${base}api/metrics/order_values/query?measures=revenu&grain=hour`);
    expect(http.status).toBe(400);
    const cli = await runCli(['query', 'order_values', '--measures', 'revenu', '--grain', 'hour', '--json'], project);
    expect(http.body).toEqual(JSON.parse(cli.stdout));
    expect(http.body.error).toMatchObject({ code: 'QUERY_INVALID', message: expect.stringMatching(/no measure "revenu"/), hint: expect.stringMatching(/did you mean "revenue"/) });
    expect((await get(`${base}api/metrics/order_values/query?where=${encodeURIComponent('1=1; DROP TABLE order_values')}`)).status).toBe(400);
    expect((await get(`${base}api/metrics/order_values/query?sql=${encodeURIComponent('SELECT 1')}`)).status).toBe(400);
  });

  it('serves no arbitrary SQL, only reads, and refuses foreign Host headers', async () => {
    expect((await get(`${base}api/sql?q=SELECT%201`)).status).toBe(404);
    expect((await get(`${base}api/metrics`, { method: 'POST' })).status).toBe(405);
    const port = new URL(base).port;
    expect((await get(`${base}api/metrics`, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(`${base}api/metrics`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('publishes an OpenAPI 3.1 document that a standard validator accepts', async () => {
    const doc = await get(`${base}openapi.json`);
    const result = await new Validator().validate(doc.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.body.openapi).toBe('3.1.0');
  });

  it('never blocks a run: a full rebuild succeeds while serving, and queries see its result', async () => {
    const run = await runCli(['run', '--full-refresh'], project);
    expect(run.code).toBe(0);
    expect((await get(`${base}api/metrics/order_values/query?measures=orders`)).status).toBe(200);
  });
});
