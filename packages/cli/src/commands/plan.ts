// `duckmetrics plan`: previews what a run would rebuild and prints each metric's diff against what is published.
import { DuckmetricsError } from '@duckmetrics/core';
import { selectionOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { print, printJson } from '../output.ts';
import { planReport } from '../progress/plan-report.ts';
import { withEngine } from '../with-engine.ts';
import type { PlanFlags } from './plan.flags.ts';

/** `duckmetrics plan [-s …] [--json]`: exit 0 when every preview built and passed its checks and tests, 1 otherwise. */
export default async function plan(flags: PlanFlags): Promise<number> {
  const sample = Number(flags.sample ?? 5);
  if (!Number.isInteger(sample) || sample < 0 || sample > 1000) {
    throw new DuckmetricsError('USAGE', `--sample must be a whole number from 0 to 1000, got "${String(flags.sample)}"`);
  }
  return withEngine(flags, async (engine) => {
    const result = await engine.plan({
      ...selectionOptions(flags), sample,
      ...(flags.fullRefresh ? { fullRefresh: true } : {}), ...(flags.checks === false ? { checks: false } : {}), ...(flags.tests === false ? { tests: false } : {}),
    });
    if (flags.json) printJson(result);
    else for (const line of planReport(result)) print(line);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
