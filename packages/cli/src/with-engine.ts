// The engine's lifetime for one command: created from the global flags, handed the interruption signal, always closed.
import type { Engine } from '@duckmetrics/core';
import pc from 'picocolors';
import { engineOptions } from './engine-options.ts';
import type { GlobalFlags } from './flags/common-flags.ts';
import { interruption } from './interrupt.ts';
import { checkProject } from './project-folder.ts';
import { terminalSafe } from './output.ts';

/**
 * Creates an engine from the global flags (after checking that the folder is a project: see `checkProject`), runs
 * `work` with it and always closes it. SIGINT / SIGTERM reach the
 * engine as its `signal`: the running statement is interrupted and a run is recorded as cancelled.
 *
 * @example
 * ```ts
 * const catalog = await withEngine(flags, (engine) => engine.catalog());
 * ```
 */
export async function withEngine<T>(flags: GlobalFlags, work: (engine: Engine) => Promise<T>): Promise<T> {
  const options = engineOptions(flags);
  await checkProject(flags);
  const { createEngine } = await import('@duckmetrics/core');
  const debug = flags.debug;
  const engine = createEngine({
    ...options,
    signal: interruption.signal,
    logger: {
      debug: (m) => debug && process.stderr.write(`${pc.dim(m)}\n`),
      info: (m) => debug && process.stderr.write(`${terminalSafe(m)}\n`),
      warn: (m) => process.stderr.write(`${pc.yellow('warning')} ${terminalSafe(m)}\n`),
    },
  });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
