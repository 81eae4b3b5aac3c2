// `duckmetrics test`: runs the selected metrics' unit tests and data checks, and prints the failures with their diffs.
import type { CheckResult, UnitTestResult } from '@duckmetrics/core';
import { formatRowDiff } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { selectionOptions } from '../engine-options.ts';
import { count, duration, mark, pad, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { TestFlags } from './test.flags.ts';

/** `duckmetrics test`: unit tests (in memory) and data checks (against the current tables). */
export default async function test(flags: TestFlags): Promise<number> {
  return withEngine(flags, async (engine) => {
    const only = flags.unit && !flags.data ? { unit: true } : flags.data && !flags.unit ? { data: true } : {};
    const result = await engine.test({ ...selectionOptions(flags), ...only });
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    if (result.checks.length === 0 && result.tests.length === 0) {
      const what = flags.unit && !flags.data ? 'unit tests' : flags.data && !flags.unit ? 'checks' : 'unit tests or checks';
      print(pc.yellow(`no ${what} to run: add tests: or checks: to metric files (duckmetrics new writes a commented example)`));
      return EXIT.ok;
    }
    const summary: string[] = [];
    if (result.tests.length > 0) {
      const width = Math.max(...result.tests.map((t) => t.metric.length + t.test.length)) + 4;
      for (const t of result.tests) print(testLine(t, width));
      const failed = result.tests.filter((t) => t.status !== 'pass').length;
      summary.push(`unit tests: ${result.tests.length - failed} passed, ${failed} failed`);
      if (result.checks.length > 0) print();
    }
    if (result.checks.length > 0) {
      const width = Math.max(...result.checks.map((c) => c.metric.length + c.check.length)) + 4;
      for (const c of result.checks) print(checkLine(c, width));
      const failed = result.checks.filter((c) => c.status !== 'pass');
      const problems = failed.filter((c) => c.severity === 'error').length;
      summary.push(`checks: ${result.checks.length - failed.length} passed, ${failed.length - problems} warning(s), ${problems} failed`);
    }
    print(`\n${result.ok ? pc.green('All pass') : pc.red('Failures')}: ${summary.join('; ')}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}

function testLine(t: UnitTestResult, width: number): string {
  const head = `${mark(t.status === 'pass' ? 'ok' : 'fail')} ${pad(`${t.metric} ${pc.dim('›')} ${t.test}`, width)}`;
  if (t.status === 'pass') return `${head}${pc.dim(duration(t.durationMs))}`;
  const lines = [`${head}${pc.red(t.status === 'fail' ? t.message : `could not run: ${t.message}`)}  ${pc.dim(`${t.file}:${t.line}`)}`];
  if (t.diff && t.columns) {
    const diff = formatRowDiff(t.diff, t.columns).split('\n');
    lines.push(`  ${diff[0]}`);
    for (const line of diff.slice(1)) lines.push(`  ${line.trimStart().startsWith('-') ? pc.red(line) : pc.green(line)}`);
    lines.push(pc.dim('    - expected, missing from the result   + in the result, not expected'));
  }
  return lines.join('\n');
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
