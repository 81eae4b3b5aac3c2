import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import type { GlobalOptions } from '../options.ts';
import { selectionOptions } from '../options.ts';
import { formatDiagnostic, mark, pad, print } from '../output.ts';
import { printJson, withEngine } from '../with-engine.ts';

/** `duckmetrics validate`: check every metric, build nothing. */
export default async function validate(options: GlobalOptions & Record<string, unknown>): Promise<number> {
  return withEngine(options, async (engine) => {
    const result = await engine.validate(selectionOptions(options));
    if (options.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    const width = Math.max(8, ...result.metrics.map((m) => (m.name ?? m.file).length)) + 2;
    for (const m of result.metrics) {
      print(`${mark(m.status === 'valid' ? 'ok' : 'fail')} ${pad(m.name ?? pc.italic('(unnamed)'), width)}${pc.dim(m.file)}`);
    }
    const diagnostics = result.metrics.flatMap((m) => [...m.errors, ...m.warnings]);
    if (diagnostics.length > 0) print();
    for (const d of diagnostics) print(formatDiagnostic(d));
    const invalid = result.metrics.filter((m) => m.status === 'invalid').length;
    const warnings = result.metrics.reduce((n, m) => n + m.warnings.length, 0);
    if (result.metrics.length === 0) {
      print(pc.yellow(`no metric files found in ${(await engine.config()).metricsDir}: add metrics/*.yaml (see docs/metric-reference.md)`));
    } else {
      print(`\n${invalid === 0 ? pc.green(`${result.metrics.length} valid`) : `${result.metrics.length - invalid} valid, ${pc.red(`${invalid} invalid`)}`}${warnings ? `, ${pc.yellow(`${warnings} warning(s)`)}` : ''}`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
