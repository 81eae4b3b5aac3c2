// `duckmetrics test`: runs the selected metrics' data checks against their current tables and prints the failures.
import type { CheckResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { selectionOptions } from '../engine-options.ts';
import { count, mark, pad, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { TestFlags } from './test.flags.ts';

/** `duckmetrics test`: run the data checks against the current tables. */
export default async function test(flags: TestFlags): Promise<number> {
  return withEngine(flags, async (engine) => {
    const result = await engine.test(selectionOptions(flags));
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    if (result.checks.length === 0) {
      print(pc.yellow('no checks to run: add checks to a metric file, under a column (checks: [not_null, unique]) or for the table (checks: [row_count: { min: 1 }])'));
      return EXIT.ok;
    }
    const width = Math.max(...result.checks.map((c) => c.metric.length + c.check.length)) + 4;
    for (const c of result.checks) print(checkLine(c, width));
    const failed = result.checks.filter((c) => c.status !== 'pass');
    const problems = failed.filter((c) => c.severity === 'error').length;
    print(`\n${problems ? pc.red(`${problems} failing`) : pc.green('All error checks pass')}: ${result.checks.length - failed.length} passed, ${failed.length - problems} warning(s), ${problems} failed`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}

function checkLine(c: CheckResult, width: number): string {
  const status = c.status === 'pass' ? mark('ok') : c.severity === 'warn' ? pc.yellow('!') : mark('fail');
  const head = `${status} ${pad(`${c.metric} ${pc.dim('›')} ${c.check}`, width)}`;
  if (c.status === 'pass') return head;
  const lines = [`${head}${c.severity === 'warn' ? pc.yellow(c.message) : pc.red(c.message)}  ${pc.dim(`${c.file}:${c.line}`)}`];
  if (c.sample && c.sample.length > 0) {
    lines.push(pc.dim(`    first ${c.sample.length} of ${count(c.failingRows)} failing rows:`));
    for (const row of c.sample) lines.push(pc.dim(`      ${JSON.stringify(row)}`));
  }
  return lines.join('\n');
}
