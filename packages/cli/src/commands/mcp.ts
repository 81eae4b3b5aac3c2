// `duckmetrics mcp`: an MCP server over stdio (the official SDK) with list_metrics, describe_metric and query_metric.
import type { Engine, QueryCompare, TimeGrain } from '@duckmetrics/core';
import { errorFields } from '../error-report.ts';
import { engineOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { interruption } from '../interrupt.ts';
import type { McpFlags } from './mcp.flags.ts';

/** How long a tool call waits for a `run` holding the database. */
const LOCK_WAIT_MS = 2000;

/** `duckmetrics mcp`: reads the database read-only per tool call, like `serve`; stdout carries only the protocol. */
export default async function mcp(flags: McpFlags): Promise<number> {
  const [{ McpServer }, { StdioServerTransport }, { z }, { createEngine }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/mcp.js'), import('@modelcontextprotocol/sdk/server/stdio.js'), import('zod'), import('@duckmetrics/core'),
  ]);
  const options = engineOptions(flags);
  const withEngine = async <T>(work: (engine: Engine) => Promise<T>): Promise<T> => {
    const engine = createEngine({ ...options, readOnly: true, waitForLockMs: options.waitForLockMs ?? LOCK_WAIT_MS });
    try {
      return await work(engine);
    } finally {
      await engine.close();
    }
  };
  const answer = async (work: () => Promise<unknown>): Promise<{ content: Array<{ type: 'text'; text: string }>; isError?: boolean }> => {
    try {
      return { content: [{ type: 'text', text: JSON.stringify(await work(), null, 2) }] };
    } catch (error) {
      return { content: [{ type: 'text', text: JSON.stringify({ ok: false, error: errorFields(error) }, null, 2) }], isError: true };
    }
  };
  const server = new McpServer({ name: 'duckmetrics', version: '1.0.0' });
  server.registerTool('list_metrics', {
    description: 'Every metric of the project with its measures, dimensions and time column.',
  }, () => answer(() => withEngine((e) => e.describeMetrics())));
  server.registerTool('describe_metric', {
    description: 'One metric: description, owner, measures (with their expressions), dimensions, time column.',
    inputSchema: { name: z.string().describe('The metric name') },
  }, ({ name }) => answer(() => withEngine(async (e) => {
    const metric = (await e.describeMetrics()).find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (!metric) throw Object.assign(new Error(`no metric is named "${name}"`), { code: 'METRIC_NOT_FOUND', hint: 'list_metrics lists them' });
    return metric;
  })));
  server.registerTool('query_metric', {
    description: 'Measures of a metric by dimensions and a time grain. Returns { ok, metric, sql, columns, rows }. from is inclusive, to exclusive; where is one boolean expression over dimensions and the time column.',
    inputSchema: {
      metric: z.string(),
      measures: z.array(z.string()).optional().describe('Measure names (default: all)'),
      by: z.array(z.string()).optional().describe('Dimensions to group by'),
      grain: z.enum(['day', 'week', 'month', 'quarter', 'year']).optional(),
      from: z.string().optional().describe('Inclusive start date, e.g. 2018-01-01'),
      to: z.string().optional().describe('Exclusive end date'),
      where: z.string().optional().describe("e.g. customer_state = 'SP'"),
      compare: z.enum(['previous_period', 'previous_year']).optional(),
      limit: z.number().int().min(0).optional(),
    },
  }, (args) => answer(() => withEngine((e) => e.queryMetric({
    metric: args.metric,
    ...(args.measures ? { measures: args.measures } : {}), ...(args.by ? { by: args.by } : {}),
    ...(args.grain ? { grain: args.grain as TimeGrain } : {}), ...(args.from ? { from: args.from } : {}), ...(args.to ? { to: args.to } : {}),
    ...(args.where !== undefined ? { where: args.where } : {}), ...(args.compare ? { compare: args.compare as QueryCompare } : {}),
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
  }))));
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    interruption.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return EXIT.ok;
}
