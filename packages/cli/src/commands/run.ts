// `duckmetrics run`: validates, then builds the selected metrics (`--due`: those whose schedule came due) with progress.
import { cliClock } from '../clock.ts';
import { runOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { print, printJson } from '../output.ts';
import { attachRunProgress } from '../progress/attach-progress.ts';
import { progressList } from '../progress/progress-list.ts';
import { runReport } from '../progress/run-report.ts';
import { withEngine } from '../with-engine.ts';
import type { RunFlags } from './run.flags.ts';

/** `duckmetrics run`: validate, then build every valid metric (`--due`: only those whose schedule came due). */
export default async function run(flags: RunFlags): Promise<number> {
  const options = runOptions(flags);
  if (flags.watch) return (await import('./dev.ts')).default(flags);
  const clock = cliClock();
  return withEngine(flags, async (engine) => {
    const list = await progressList(flags);
    attachRunProgress(engine, list);
    const result = await engine.run({ ...options, ...(clock.fake ? { now: clock.now() } : {}) }).finally(() => list.stop());
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const line of runReport(result)) print(line);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
