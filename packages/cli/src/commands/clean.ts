import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { formatDiagnostic, print } from '../output.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics clean [--all] [--yes]`: drop metric tables; with `--all`, sources and state too. */
export default async function clean(options: GlobalOptions & { all?: boolean; yes?: boolean }): Promise<number> {
  const all = options.all === true;
  if (all && !options.yes) {
    if (!process.stdin.isTTY || options.json) {
      throw Object.assign(new Error('clean --all drops source tables too and needs confirmation'), {
        code: 'USAGE',
        hint: 'run it on a terminal to be asked, or pass --yes',
      });
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question('Drop all metric AND source tables, and duckmetrics state? [y/N] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      print('Nothing dropped.');
      return EXIT.ok;
    }
  }
  return withEngine(options, async (engine) => {
    const result = await engine.clean({ all });
    if (options.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const e of result.errors) print(formatDiagnostic(e));
    print(`${pc.green('Dropped')} ${result.dropped.length} table(s)${result.dropped.length ? `: ${result.dropped.join(', ')}` : ''}${all ? '' : pc.dim(' (sources kept)')}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
