import type { MetricRunResult } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { selectionOptions } from '../options.ts';
import { count, duration, formatDiagnostic, mark, pad, print } from '../output.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics run`: validate, then build every valid metric. */
export default async function run(options: GlobalOptions & Record<string, unknown>): Promise<number> {
  return withEngine(options, async (engine) => {
    if (!options.json) engine.on('metric:end', (m) => print(metricLine(m)));
    const threads = options.threads === undefined ? undefined : Number(options.threads);
    if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
      throw Object.assign(new Error(`--threads must be a whole number of at least 1, got "${String(options.threads)}"`), { code: 'USAGE' });
    }
    const result = await engine.run({ ...selectionOptions(options), fullRefresh: options.fullRefresh === true, checks: options.checks !== false, ...(threads ? { threads } : {}) });
    if (options.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    const problems = result.metrics.flatMap((m) => [...m.errors, ...m.warnings]);
    const upToDate = result.metrics.filter((m) => m.reason === 'up to date').length;
    if (problems.length > 0) print();
    for (const d of problems) print(formatDiagnostic(d));
    const by = (s: MetricRunResult['status']): number => result.metrics.filter((m) => m.status === s).length;
    const failed = by('failed');
    if (result.metrics.length === 0) print(pc.yellow('no metric files found: add metrics/*.yaml (see docs/metric-reference.md)'));
    else print(`\n${failed ? pc.red('Finished with failures') : pc.green('Done')} in ${duration(result.durationMs)}: ${by('success')} built, ${failed} failed, ${by('skipped')} skipped${upToDate ? ` (${upToDate} up to date)` : ''}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}

function metricLine(m: MetricRunResult): string {
  const name = pad(m.name ?? m.file, 28);
  if (m.status === 'success') return `${mark('ok')} ${name}${pad(m.rows === undefined ? 'view' : `${count(m.rows)} ${m.rows === 1 ? 'row' : 'rows'}`, 16)}${duration(m.durationMs)}`;
  if (m.reason === 'up to date') return `${mark('skip')} ${name}${pc.dim(`up to date${m.rows === undefined ? '' : ` (${count(m.rows)} ${m.rows === 1 ? 'row' : 'rows'})`}`)}`;
  if (m.status === 'skipped') return `${mark('skip')} ${name}${pc.dim(`skipped: ${m.reason ?? ''}`)}`;
  return `${mark('fail')} ${name}${pc.red(`failed: ${m.reason ?? ''}`)}`;
}
