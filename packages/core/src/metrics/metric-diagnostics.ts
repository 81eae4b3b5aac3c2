// Errors about a metric (SQL, plugin, check) as diagnostics placed in the metric's file.
import { duckdbErrorDiagnostic } from '../database/database.ts';
import type { Diagnostic, PluginDiagnostic } from '../diagnostics.ts';
import { errorMessage, PluginError } from '../errors.ts';
import type { CheckOutcome } from '../checks/check-runner.ts';
import type { Metric } from './metric.ts';
import { locateInSql, metricFrame } from './metric-loader.ts';
import { offsetOf } from './yaml-positions.ts';

/** Turns a plugin's diagnostic about `metric` into a file diagnostic: SQL positions become YAML positions. */
export function toFileDiagnostic(metric: Metric, d: PluginDiagnostic, plugin?: string): Diagnostic {
  const { sqlLine, sqlColumn, sqlOffset, severity, ...rest } = d;
  const out: Diagnostic = { ...rest, severity: severity ?? 'error', file: d.file ?? metric.file };
  if (plugin !== undefined && out.plugin === undefined) out.plugin = plugin;
  let offset = sqlOffset;
  if (offset === undefined && sqlLine !== undefined) offset = offsetOf(metric.sql, sqlLine, sqlColumn ?? 1);
  if (offset !== undefined && out.line === undefined) {
    const position = locateInSql(metric, offset);
    out.line = position.line;
    out.column = position.column;
  }
  if (out.line === undefined) {
    out.line = metric.sqlLine;
  }
  if (out.frame === undefined && out.line !== undefined) {
    const frame = metricFrame(metric, { line: out.line, column: out.column ?? 1 });
    if (frame !== undefined) out.frame = frame;
  }
  return out;
}

/** A DuckDB error about a statement holding the metric's SQL after `prefixLines` lines, as a file diagnostic. */
export function sqlErrorDiagnostic(metric: Metric, error: unknown, prefixLines: number, hint?: string): Diagnostic {
  const d = duckdbErrorDiagnostic(error, prefixLines);
  if (hint !== undefined) d.hint = d.hint ? `${d.hint}; ${hint}` : hint;
  return toFileDiagnostic(metric, d);
}

/** A diagnostic for a hook that threw while handling `metric` (or the project when no metric). */
export function pluginErrorDiagnostic(error: unknown, file?: string): Diagnostic {
  const d: Diagnostic = { severity: 'error', code: 'PLUGIN_ERROR', message: errorMessage(error) };
  if (error instanceof PluginError) {
    d.plugin = error.plugin;
    d.hook = error.hook;
    d.hint = `this is a bug or a configuration problem in plugin "${error.plugin}"; run with --debug for its stack`;
  }
  if (file !== undefined) d.file = file;
  return d;
}

/** A check that failed (or could not run) as a diagnostic at the check's line in the metric file. */
export function checkDiagnostic(metric: Metric, outcome: CheckOutcome): Diagnostic {
  const { check } = outcome;
  const d: Diagnostic = {
    severity: check.severity === 'warn' ? 'warning' : 'error',
    code: outcome.status === 'error' ? 'CHECK_ERROR' : 'CHECK_FAILED',
    message: outcome.message,
    file: metric.file,
    line: check.at.line,
    column: check.at.column,
    hint: check.severity === 'warn'
      ? 'a warn check does not block publishing; fix the data or the check'
      : 'the previous table was kept; fix the data or the SQL, run `duckmetrics test` to see failing rows, or mark the check severity: warn',
  };
  const frame = metricFrame(metric, check.at);
  if (frame !== undefined) d.frame = frame;
  return d;
}
