// `duckmetrics rollback <name>`: swaps a metric's table with its previous version.
import { DuckmetricsError } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { count, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { RollbackFlags } from './rollback.flags.ts';

/** `duckmetrics rollback <metric> [--json]`: exit 0 when the previous version is back, 1 when none is kept, 2 on usage errors. */
export default async function rollback(flags: RollbackFlags, args: string[]): Promise<number> {
  const name = args[0];
  if (name === undefined) throw new DuckmetricsError('USAGE', 'rollback needs a metric name', { hint: 'duckmetrics list shows every metric' });
  return withEngine(flags, async (engine) => {
    const result = await engine.rollback(name);
    if (flags.json) printJson(result);
    else if (!result.ok) print(pc.red(`Not rolled back: ${result.error ?? ''}`));
    else print(`${pc.green('✓')} ${result.name}  ${count(result.rows ?? 0)} rows put back (the ${count(result.replacedRows ?? 0)} rows it replaced are now the previous version)`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
