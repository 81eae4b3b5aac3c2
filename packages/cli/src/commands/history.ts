// `duckmetrics history [name]`: the last runs, or one metric's last runs, newest first.
import { DuckmetricsError } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { count, duration, pad, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { HistoryFlags } from './history.flags.ts';

/** `duckmetrics history [name]`: the last runs, or one metric's last runs. */
export default async function history(flags: HistoryFlags, args: string[]): Promise<number> {
  const name = args[0];
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DuckmetricsError('USAGE', `--limit must be a positive whole number, got "${String(flags.limit)}"`);
  }
  return withEngine(flags, async (engine) => {
    const entries = await engine.history({ ...(name === undefined ? {} : { name }), limit });
    if (flags.json) {
      printJson({ ok: true, entries });
      return EXIT.ok;
    }
    if (entries.length === 0) {
      print(pc.yellow(name ? `no runs of "${name}" recorded yet` : 'no runs recorded yet: run duckmetrics run'));
      return EXIT.ok;
    }
    const colour = (status: string): string => (status === 'success' ? pc.green(status) : status === 'failed' ? pc.red(status) : pc.dim(status));
    for (const e of entries) {
      const when = e.startedAt.replace('T', ' ').replace('Z', ' UTC');
      if (name) {
        print(`${pad(when, 26)}${pad(colour(e.status), 10)}${pad(e.rows === null || e.rows === undefined ? '' : `${count(e.rows)} rows`, 16)}${pad(duration(e.durationMs ?? undefined), 10)}${pc.dim(e.error ?? e.reason ?? '')}`);
      } else {
        print(`${pad(when, 26)}${pad(colour(e.status), 12)}${pad(`${e.built ?? 0} built, ${e.failed ?? 0} failed, ${e.skipped ?? 0} skipped`, 40)}${duration(e.durationMs ?? undefined)}  ${pc.dim(e.runId.slice(0, 8))}`);
      }
    }
    return EXIT.ok;
  });
}
