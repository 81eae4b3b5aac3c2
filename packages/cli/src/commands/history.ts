import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { count, duration, pad, print } from '../output.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics history [name]`: the last runs, or one metric's last runs. */
export default async function history(options: GlobalOptions & { limit?: number | string }, args: string[]): Promise<number> {
  const name = args[0];
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1) {
    throw Object.assign(new Error(`--limit must be a positive whole number, got "${String(options.limit)}"`), { code: 'USAGE' });
  }
  return withEngine(options, async (engine) => {
    const entries = await engine.history({ ...(name === undefined ? {} : { name }), limit });
    if (options.json) {
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
