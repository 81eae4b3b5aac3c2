import type { Engine } from '@duckmetrics/core';
import pc from 'picocolors';
import { interruption } from './interrupt.ts';
import type { GlobalOptions } from './options.ts';
import { engineOptions } from './options.ts';

/**
 * Creates an engine from the global flags, runs `work` with it and always closes it. SIGINT / SIGTERM reach the
 * engine as its `signal`: the running statement is interrupted and a run is recorded as cancelled.
 */
export async function withEngine<T>(options: GlobalOptions, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { createEngine } = await import('@duckmetrics/core');
  const debug = options.debug === true;
  const engine = createEngine({
    ...engineOptions(options),
    signal: interruption.signal,
    logger: {
      debug: (m) => debug && process.stderr.write(`${pc.dim(m)}\n`),
      info: (m) => debug && process.stderr.write(`${m}\n`),
      warn: (m) => process.stderr.write(`${pc.yellow('warning')} ${m}\n`),
    },
  });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Writes a value as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
