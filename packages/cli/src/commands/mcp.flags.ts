// `duckmetrics mcp`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';

export type McpFlags = GlobalFlags;

export const mcpCommand: CommandSpec<McpFlags> = {
  usage: 'mcp',
  description: 'Serve the metrics to an assistant over MCP (stdio): list_metrics, describe_metric, query_metric',
  flags: {},
};
