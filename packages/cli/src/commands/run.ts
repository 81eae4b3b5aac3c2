import { cliClock } from '../clock.ts';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { selectionOptions } from '../options.ts';
import { print } from '../output.ts';
import { attachRunProgress } from '../progress/attach-progress.ts';
import { progressList } from '../progress/progress-list.ts';
import { runReport } from '../progress/run-report.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics run`: validate, then build every valid metric (`--due`: only those whose schedule came due). */
export default async function run(options: GlobalOptions & Record<string, unknown>): Promise<number> {
  const threads = options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw Object.assign(new Error(`--threads must be a whole number of at least 1, got "${String(options.threads)}"`), { code: 'USAGE' });
  }
  if (options.watch === true) return (await import('./dev.ts')).default(options);
  const clock = cliClock();
  return withEngine(options, async (engine) => {
    const list = await progressList(options);
    attachRunProgress(engine, list);
    const result = await engine
      .run({
        ...selectionOptions(options),
        fullRefresh: options.fullRefresh === true,
        checks: options.checks !== false,
        ...(threads ? { threads } : {}),
        ...(options.due === true ? { due: true } : {}),
        ...(clock.fake ? { now: clock.now() } : {}),
      })
      .finally(() => list.stop());
    if (options.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const line of runReport(result)) print(line);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
