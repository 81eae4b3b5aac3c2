// `duckmetrics setup`: loads sources, one line per source as it is loaded, then a summary.
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { formatDiagnostic, plural, print, printJson } from '../output.ts';
import { attachLoadProgress } from '../progress/attach-progress.ts';
import { progressList } from '../progress/progress-list.ts';
import { withEngine } from '../with-engine.ts';
import type { SetupFlags } from './setup.flags.ts';

/** `duckmetrics setup`: load sources, one line per source as it is loaded. */
export default async function setup(flags: SetupFlags): Promise<number> {
  return withEngine(flags, async (engine) => {
    const list = await progressList(flags);
    attachLoadProgress(engine, list);
    const result = await engine.load({ force: flags.force, prune: flags.prune }).finally(() => list.stop());
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const e of result.errors) print(formatDiagnostic(e));
    const config = await engine.config();
    const failed = result.sources.filter((s) => s.status === 'failed').length;
    const unchanged = result.sources.filter((s) => s.status === 'unchanged').length;
    const missing = result.sources.filter((s) => s.status === 'missing').length;
    const pruned = result.sources.filter((s) => s.status === 'pruned').length;
    if (result.sources.length === 0 && result.errors.length === 0) print(pc.yellow('no sources loaded: put CSV files in data/ (or configure a source plugin)'));
    else print(`${failed === 0 ? pc.green('Loaded') : pc.red('Loaded with errors:')} ${plural(result.sources.length - failed - missing - pruned, 'source')}${unchanged ? ` (${unchanged} unchanged)` : ''}${failed ? `, ${failed} failed` : ''}${missing ? `, ${missing} with a missing file (setup --prune drops them)` : ''}${pruned ? `, ${pruned} dropped` : ''} into ${config.database}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
