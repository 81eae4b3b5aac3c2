// `duckmetrics build`: setup, then run, in one command (the one an analyst needs after editing a CSV or a metric).
import { cliClock } from '../clock.ts';
import { runOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { formatDiagnostic, print, printJson } from '../output.ts';
import { attachLoadProgress, attachRunProgress } from '../progress/attach-progress.ts';
import { progressList } from '../progress/progress-list.ts';
import { runReport } from '../progress/run-report.ts';
import { withEngine } from '../with-engine.ts';
import type { BuildFlags } from './build.flags.ts';

/**
 * Loads the sources whose files (or read options) changed, then builds what that and any metric edit made out of
 * date. A source that fails to load keeps its previous table, and the run still goes on, so the other metrics
 * build; the exit code is 1 when anything failed.
 */
export default async function build(flags: BuildFlags): Promise<number> {
  const options = runOptions(flags);
  // Like run: DUCKMETRICS_NOW sets the clock (what a snapshot's version is valid from).
  const clock = cliClock();
  return withEngine(flags, async (engine) => {
    const loadList = await progressList(flags);
    attachLoadProgress(engine, loadList);
    const load = await engine.load({ force: flags.force }).finally(() => loadList.stop());
    const runList = await progressList(flags);
    attachRunProgress(engine, runList);
    const run = await engine.run({ ...options, ...(clock.fake ? { now: clock.now() } : {}) }).finally(() => runList.stop());
    const ok = load.ok && run.ok;
    if (flags.json) {
      printJson({ ok, load, run });
      return ok ? EXIT.ok : EXIT.failed;
    }
    for (const e of load.errors) print(formatDiagnostic(e));
    for (const line of runReport(run)) print(line);
    return ok ? EXIT.ok : EXIT.failed;
  });
}
