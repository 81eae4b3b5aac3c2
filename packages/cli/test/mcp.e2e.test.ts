// `duckmetrics mcp`: the MCP tools driven by the official SDK's own client over stdio, on the bundled example.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let work: string;
let client: Client;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-mcp-'));
  const project = path.join(work, 'customer-metrics');
  await cp(path.join(root, 'examples', 'customer-metrics'), project, { recursive: true });
  expect((await runCli(['setup'], project)).code).toBe(0);
  expect((await runCli(['run'], project)).code).toBe(0);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: project, env: { ...process.env, NO_COLOR: '1' } as Record<string, string> }));
}, 120_000);
afterAll(async () => {
  await client?.close();
  await rm(work, { recursive: true, force: true });
});

const call = async (name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; json: any }> => {
  const result = (await client.callTool({ name, arguments: args })) as { content: Array<{ text: string }>; isError?: boolean };
  return { isError: result.isError === true, json: JSON.parse(result.content[0]!.text) };
};

it('offers list_metrics, describe_metric and query_metric', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(['describe_metric', 'list_metrics', 'query_metric']);
});

it('answers "LTV by state last quarter" style questions from the definitions', async () => {
  const list = await call('list_metrics');
  expect(list.json.map((m: { name: string }) => m.name)).toContain('order_values');
  const described = await call('describe_metric', { name: 'order_values' });
  expect(described.json).toMatchObject({ time: 'purchased_at', dimensions: ['customer_state'] });
  const query = await call('query_metric', { metric: 'order_values', measures: ['revenue', 'customers'], by: ['customer_state'], grain: 'quarter', from: '2018-04-01', to: '2018-07-01' });
  expect(query.isError).toBe(false);
  expect(query.json).toMatchObject({ ok: true, metric: 'order_values', columns: [{ name: 'quarter' }, { name: 'customer_state' }, { name: 'revenue' }, { name: 'customers' }] });
  expect(query.json.rows.every((r: { quarter: string }) => r.quarter === '2018-04-01')).toBe(true);
});

it('reports bad questions as tool errors with the CLI diagnostics', async () => {
  const bad = await call('query_metric', { metric: 'order_values', measures: ['revenu'] });
  expect(bad.isError).toBe(true);
  expect(bad.json.error).toMatchObject({ code: 'QUERY_INVALID', hint: expect.stringMatching(/did you mean "revenue"/) });
  expect((await call('describe_metric', { name: 'nope' })).json.error.code).toBe('METRIC_NOT_FOUND');
});
