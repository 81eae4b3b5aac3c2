// `duckmetrics clean [--all] [--snapshots] [--yes]`: drops metric tables; with `--all`, sources and state too; with `--snapshots`, the kept versions (after asking).
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
  const snapshots = flags.snapshots;
  if ((all || snapshots) && !flags.yes) {
    const flag = [all ? '--all' : '', snapshots ? '--snapshots' : ''].filter(Boolean).join(' ');
    if (!process.stdin.isTTY || flags.json) {
      throw new DuckmetricsError('USAGE', `clean ${flag} drops ${all ? 'source tables' : ''}${all && snapshots ? ' and ' : ''}${snapshots ? 'every kept version (snapshots)' : ''} too and needs confirmation`, {
        hint: 'run it on a terminal to be asked, or pass --yes',
      });
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const what = [all ? 'source tables and duckmetrics state' : '', snapshots ? 'EVERY VERSION in snapshots (no build can make them again)' : ''].filter(Boolean).join(', and ');
    const answer = await rl.question(`Drop all metric tables AND ${what}? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      print('Nothing dropped.');
      return EXIT.ok;
    }
  }
  return withEngine(flags, async (engine) => {
    const result = await engine.clean({ all, snapshots });
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    for (const e of result.errors) print(formatDiagnostic(e));
    print(`${pc.green('Dropped')} ${plural(result.dropped.length, 'table')}${result.dropped.length ? `: ${result.dropped.join(', ')}` : ''}${pc.dim([all ? '' : 'sources kept', snapshots ? '' : 'snapshots kept'].filter(Boolean).map((s) => ` (${s})`).join(''))}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
