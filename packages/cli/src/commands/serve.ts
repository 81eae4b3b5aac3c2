// `duckmetrics serve`: the metric API on 127.0.0.1 until interrupted; the database is opened read-only per request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuckmetricsError } from '@duckmetrics/core';
import pc from 'picocolors';
import { metricApi } from '../api/metric-api.ts';
import { engineOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { interruption } from '../interrupt.ts';
import { print, printJson } from '../output.ts';
import type { ServeFlags } from './serve.flags.ts';

const DEFAULT_PORT = 4466;
/** How long a request waits for a `run` holding the database before answering 503 (unless --wait says otherwise). */
const DEFAULT_LOCK_WAIT_MS = 2000;

/** `duckmetrics serve [--host 127.0.0.1] [--port 4466]`. */
export default async function serve(flags: ServeFlags): Promise<number> {
  const port = Number(flags.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DuckmetricsError('USAGE', `--port must be a port number, not "${flags.port}"`, { hint: '--port 4466' });
  const host = flags.host ?? '127.0.0.1';
  const options = engineOptions(flags);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const names = new Set([host, '127.0.0.1', 'localhost', '[::1]'].map((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase()));
  const allowedHosts = new Set([...names].map((h) => `${h}:${bound}`));
  server.on('request', metricApi({ engine: { ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...(options.configFile === undefined ? {} : { configFile: options.configFile }) }, waitForLockMs: options.waitForLockMs ?? DEFAULT_LOCK_WAIT_MS, allowedHosts }));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
  if (flags.json) printJson({ event: 'serving', url });
  else print(`Serving the metric API at ${pc.cyan(url)}api/metrics ${pc.dim('(read-only; /openapi.json; Ctrl-C to stop)')}`);
  await new Promise<void>((resolve) => {
    if (interruption.signal.aborted) resolve();
    else interruption.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return EXIT.ok;
}
