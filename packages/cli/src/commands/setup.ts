import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { count, duration, formatDiagnostic, mark, pad, print } from '../output.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics setup`: load sources. */
export default async function setup(options: GlobalOptions & { force?: boolean }): Promise<number> {
  return withEngine(options, async (engine) => {
    const result = await engine.load({ force: options.force === true });
    if (options.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    const width = Math.max(8, ...result.sources.map((s) => s.name.length)) + 2;
    for (const s of result.sources) {
      if (s.status === 'unchanged') print(`${mark('skip')} ${pad(s.name, width)}${pad(`${count(s.rows)} rows`, 16)}${pad('unchanged', 10)}${pc.dim(s.file ?? '')}`);
      else if (s.status === 'loaded') print(`${mark('ok')} ${pad(s.name, width)}${pad(`${count(s.rows)} rows`, 16)}${pad(duration(s.durationMs), 10)}${pc.dim(s.file ?? '')}`);
      else print(`${mark('fail')} ${pad(s.name, width)}${pc.red('failed')}\n${s.error ? formatDiagnostic(s.error) : ''}`);
    }
    for (const e of result.errors) print(formatDiagnostic(e));
    const config = await engine.config();
    const failed = result.sources.filter((s) => s.status === 'failed').length;
    const unchanged = result.sources.filter((s) => s.status === 'unchanged').length;
    if (result.sources.length === 0 && result.errors.length === 0) print(pc.yellow('no sources loaded: put CSV files in data/ (or configure a source plugin)'));
    else print(`${failed === 0 ? pc.green('Loaded') : pc.red('Loaded with errors:')} ${result.sources.length - failed} source(s)${unchanged ? ` (${unchanged} unchanged)` : ''}${failed ? `, ${failed} failed` : ''} into ${config.database}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
