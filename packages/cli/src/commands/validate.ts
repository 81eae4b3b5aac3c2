// `duckmetrics validate`: checks every selected metric file and its SQL and prints what is wrong; builds nothing.
import pc from 'picocolors';
import { selectionOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { formatDiagnostic, mark, pad, plural, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { ValidateFlags } from './validate.flags.ts';

/** `duckmetrics validate`: check every metric, build nothing. */
export default async function validate(flags: ValidateFlags): Promise<number> {
  return withEngine(flags, async (engine) => {
    const result = await engine.validate(selectionOptions(flags));
    if (flags.json) {
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
      print(pc.yellow(`no metric files found in ${(await engine.config()).metricsDir}: duckmetrics new <metric_name> writes one from a template`));
    } else {
      print(`\n${invalid === 0 ? pc.green(`${result.metrics.length} valid`) : `${result.metrics.length - invalid} valid, ${pc.red(`${invalid} invalid`)}`}${warnings ? `, ${pc.yellow(plural(warnings, 'warning'))}` : ''}`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
