// Diagnostics as values, and how they are printed: location and code frame.
/**
 * How bad a diagnostic is: `error` makes a metric invalid, `warning` does not.
 *
 * @example
 * ```ts
 * const severity: Severity = options.strict ? 'error' : 'warning';
 * ```
 */
export type Severity = 'error' | 'warning';

/**
 * One finding about a project file, as a plain serialisable value.
 *
 * @example
 * ```ts
 * const d: Diagnostic = {
 *   severity: 'error', code: 'SCHEMA_MISSING_FIELD', message: 'missing required field "owner"',
 *   file: 'metrics/ltv.yaml', line: 1, column: 1, hint: 'add `owner: <team or person>`',
 * };
 * ```
 */
export interface Diagnostic {
  /** `error` or `warning`. */
  severity: Severity;
  /** Stable machine-readable code, e.g. `YAML_SYNTAX`, `SQL_BINDER`, `PLUGIN_ERROR`. */
  code: string;
  /** What is wrong, in one or a few sentences. */
  message: string;
  /** Path of the file it is about, relative to the project root (absolute when outside it). */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** Name of the plugin that reported it (or whose hook failed). */
  plugin?: string;
  /** Hook that reported it, when it came from a plugin. */
  hook?: string;
  /** What to do about it. */
  hint?: string;
  /** A few lines of the file around `line`, with a caret under `column`. */
  frame?: string;
}

/**
 * What a plugin's `validate` hook returns: a diagnostic whose position may be given inside the metric's SQL
 * (`sqlLine`/`sqlColumn`, 1-based, or `sqlOffset`, 0-based); the engine translates it into the YAML file's line
 * and column and fills `file`, `plugin` and `frame`.
 *
 * @example
 * ```ts
 * return [{ severity: 'warning', code: 'STYLE_SELECT_STAR', message: 'avoid SELECT *', sqlLine: 1, sqlColumn: 8 }];
 * ```
 */
export interface PluginDiagnostic extends Omit<Diagnostic, 'severity'> {
  /** Defaults to `error`. */
  severity?: Severity;
  /** 1-based line inside the metric's `sql`. */
  sqlLine?: number;
  /** 1-based column inside the metric's `sql`. */
  sqlColumn?: number;
  /** 0-based character offset inside the metric's `sql`. */
  sqlOffset?: number;
}

/**
 * Renders a few lines of `source` around a 1-based `line`/`column` with a caret, like a compiler.
 *
 * @example
 * ```ts
 * codeFrame('a: 1\nb: [\n', 2, 4); // "  1 | a: 1\n> 2 | b: [\n    |    ^"
 * ```
 */
export function codeFrame(source: string, line: number, column = 1, context = 2): string {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    // A tab is shown, as one character so that the caret stays under its column.
    const text = (lines[n - 1] ?? '').replace(/\t/g, '→');
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}

/**
 * Where a diagnostic points, as a compiler prints it: `file:line:column` (`''` when it has no file).
 *
 * @example
 * ```ts
 * formatDiagnosticLocation({ severity: 'error', code: 'SQL_BINDER', message: '…', file: 'metrics/x.yaml', line: 7, column: 12 }); // 'metrics/x.yaml:7:12'
 * ```
 */
export function formatDiagnosticLocation(d: Diagnostic): string {
  if (!d.file) return '';
  if (d.line === undefined) return d.file;
  return d.column === undefined ? `${d.file}:${d.line}` : `${d.file}:${d.line}:${d.column}`;
}
