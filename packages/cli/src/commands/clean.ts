// `duckmetrics clean [--all] [--yes]`: drops metric tables; with `--all`, sources and state too (after asking).
import { createInterface } from 'node:readline/promises';
import { DuckmetricsError } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { formatDiagnostic, plural, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { CleanFlags } from './clean.flags.ts';

/** `duckmetrics clean [--all] [--yes]`: drop metric tables; with `--all`, sources and state too. */
export default async function clean(flags: CleanFlags): Promise<number> {
  const all = flags.all;
  if (all && !flags.yes) {
    if (!process.stdin.isTTY || flags.json) {
      throw new DuckmetricsError('USAGE', 'clean --all drops source tables too and needs confirmation', {
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
  return withEngine(flags, async (engine) => {
    const result = await engine.clean({ all });
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const e of result.errors) print(formatDiagnostic(e));
    print(`${pc.green('Dropped')} ${plural(result.dropped.length, 'table')}${result.dropped.length ? `: ${result.dropped.join(', ')}` : ''}${all ? '' : pc.dim(' (sources kept)')}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
