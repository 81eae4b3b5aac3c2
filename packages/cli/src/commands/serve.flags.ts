// `duckmetrics serve`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { valueFlag } from '../flags/flag.ts';

export interface ServeFlags extends GlobalFlags {
  /** `--host ADDRESS`: where to listen (default 127.0.0.1). */
  readonly host: string | undefined;
  /** `--port N`: the port (default 4466; 0: any free port). */
  readonly port: string | undefined;
}

export const serveCommand: CommandSpec<ServeFlags> = {
  usage: 'serve',
  description: 'Serve a read-only HTTP JSON API over the metrics (list, describe, query; /openapi.json)',
  flags: {
    host: valueFlag('--host <address>', 'Address to listen on (default: 127.0.0.1)'),
    port: valueFlag('--port <n>', 'Port (default: 4466; 0: any free port)'),
  },
};
