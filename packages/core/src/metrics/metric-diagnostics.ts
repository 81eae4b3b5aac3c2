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

/**
 * Advice for habits from other tools, added to a SQL syntax error where DuckDB's parser stopped: a dbt
 * `{{ ref('x') }}` or `{{ source(…) }}` (dependencies are inferred here: write the table name).
 */
export function adviseSqlSyntax(metric: Metric, d: Diagnostic): Diagnostic {
  if (d.code !== 'SQL_PARSER' || d.line === undefined) return d;
  const offset = metric.sql.indexOf('{{');
  if (offset === -1) return d;
  const call = /^\{\{\s*(ref|source)\s*\(([^)]*)\)\s*\}\}/.exec(metric.sql.slice(offset));
  const name = call?.[2]?.split(',').pop()?.trim().replace(/^['"]|['"]$/g, '');
  const at = locateInSql(metric, offset);
  // Only where the parser stopped: braces elsewhere (inside a string) are not the problem.
  if (at.line !== d.line) return d;
  const frame = metricFrame(metric, at);
  return {
    ...d, line: at.line, column: at.column, ...(frame === undefined ? {} : { frame }),
    message: `${call ? `{{ ${call[1]}(…) }}` : '{{ … }}'} is template syntax from dbt; duckmetrics runs the SQL as written and finds dependencies by itself`,
    hint: `write the table name${name ? `: FROM ${name}` : ''} (a source or another metric), without braces`,
  };
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

/** A note (a column change the snapshot table followed) or an error about a metric's `snapshots.<name>`, at its name. */
export function snapshotNote(metric: Metric, message: string, severity: Diagnostic['severity'] = 'warning', hint?: string): Diagnostic {
  return {
    severity, code: severity === 'error' ? 'SNAPSHOT' : 'SNAPSHOT_SCHEMA_CHANGE', message: severity === 'error' ? message : `snapshot of ${metric.name}: ${message}`,
    file: metric.file, line: metric.nameLine, column: 1,
    hint: hint ?? 'older versions in snapshots.' + metric.name + ' keep their values; see docs/snapshots.md',
  };
}
