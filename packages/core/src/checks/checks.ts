// Check types and their normalisation from the metric file (`checks:` and per-column checks).
import { didYouMean } from '../did-you-mean.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';
import type { PluginDiagnostic } from '../diagnostics.ts';

/** The kinds of data check. */
export type CheckType =
  | 'not_null'
  | 'unique'
  | 'accepted_values'
  | 'accepted_range'
  | 'relationships'
  | 'row_count'
  | 'expression'
  | 'sql'
  | 'unique_combination';

/** Column checks and metric-level checks, by where they may be written. */
export const COLUMN_CHECKS: readonly CheckType[] = ['not_null', 'unique', 'accepted_values', 'accepted_range', 'relationships'];
/** Checks written under the metric's top-level `checks:`. */
export const METRIC_CHECKS: readonly CheckType[] = ['row_count', 'expression', 'sql', 'unique_combination', 'accepted_range'];

/**
 * One data check, normalized from the metric file. Checks are SQL that selects the failing rows of the table.
 *
 * @example
 * ```yaml
 * columns:
 *   - name: status
 *     checks:
 *       - not_null
 *       - accepted_values: [placed, shipped]
 *         severity: warn
 * checks:
 *   - row_count: { min: 1 }
 *   - expression: "amount >= 0"
 * ```
 */
export interface Check {
  /** Given `name`, or one made from the type and column: `not_null(customer_id)`. */
  name: string;
  type: CheckType;
  /** The column it is about (column checks and `accepted_range` with `column`). */
  column?: string;
  /** `error` blocks publishing the table; `warn` is reported only. */
  severity: 'error' | 'warn';
  /** The check's own arguments (values, min/max, to/field, expression, sql, columns). */
  args: Record<string, unknown>;
  /** Where the check is written in the file (1-based line and column). */
  at: FilePosition;
}

/** Finds the file position of a key path in the metric document. */
export type Locate = (path: Array<string | number>) => FilePosition;

/** Reads the checks of a metric file (column and metric level) into `Check`s; problems become diagnostics. */
export function normalizeChecks(
  data: { columns?: Array<{ name: string; checks?: unknown[] | undefined }> | undefined; checks?: unknown[] | undefined },
  locate: Locate,
): { checks: Check[]; diagnostics: PluginDiagnostic[] } {
  const checks: Check[] = [];
  const diagnostics: PluginDiagnostic[] = [];
  const add = (raw: unknown, path: Array<string | number>, allowed: readonly CheckType[], column?: string): void => {
    const at = locate(path);
    const result = normalizeOne(raw, allowed, column);
    if (typeof result === 'string') {
      diagnostics.push({ code: 'CHECK_INVALID', message: result, line: at.line, column: at.column, hint: checkHint(allowed) });
    } else {
      checks.push({ ...result, at });
    }
  };
  (data.columns ?? []).forEach((col, i) => (col.checks ?? []).forEach((raw, j) => add(raw, ['columns', i, 'checks', j], COLUMN_CHECKS, col.name)));
  (data.checks ?? []).forEach((raw, j) => add(raw, ['checks', j], METRIC_CHECKS));
  return { checks, diagnostics };
}

function checkHint(allowed: readonly CheckType[]): string {
  return allowed === COLUMN_CHECKS
    ? 'column checks: not_null, unique, accepted_values: [..], accepted_range: { min, max }, relationships: { to, field }'
    : 'metric checks: row_count: { min, max }, expression: "<SQL condition>", sql: "SELECT … FROM {{ this }} …", unique_combination: [a, b], accepted_range: { column, min, max }';
}

function normalizeOne(raw: unknown, allowed: readonly CheckType[], column: string | undefined): Omit<Check, 'at'> | string {
  let type: string;
  let value: unknown;
  let extra: Record<string, unknown> = {};
  if (typeof raw === 'string') {
    type = raw;
    value = null;
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const entries = Object.entries(raw as Record<string, unknown>).filter(([k]) => k !== 'severity' && k !== 'name');
    if (entries.length !== 1) return `a check must have exactly one type key, found ${entries.length === 0 ? 'none' : entries.map(([k]) => k).join(', ')}`;
    [type, value] = entries[0]!;
    extra = raw as Record<string, unknown>;
  } else {
    return 'a check must be a name (not_null) or a map ({ accepted_values: [..] })';
  }
  if (!(allowed as readonly string[]).includes(type)) {
    const other = allowed === COLUMN_CHECKS ? METRIC_CHECKS : COLUMN_CHECKS;
    if ((other as readonly string[]).includes(type)) {
      return `"${type}" is a ${allowed === COLUMN_CHECKS ? 'metric-level' : 'column'} check; write it under ${allowed === COLUMN_CHECKS ? 'the top-level checks:' : "a column's checks:"}`;
    }
    const suggestion = didYouMean(type, allowed);
    return `unknown check "${type}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  // Options may sit beside the type key or inside its map: `- unique: { severity: warn }`.
  const inner = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const severityValue = extra.severity ?? inner.severity ?? 'error';
  if (severityValue !== 'error' && severityValue !== 'warn') return `severity must be error or warn, found ${JSON.stringify(severityValue)}`;
  const nameValue = extra.name ?? inner.name;
  if (nameValue !== undefined && typeof nameValue !== 'string') return 'a check name must be a string';
  const args = argsFor(type as CheckType, value, inner);
  if (typeof args === 'string') return `${type}: ${args}`;
  const target = (type === 'accepted_range' && typeof args.column === 'string' ? args.column : column) as string | undefined;
  if (type === 'accepted_range' && target === undefined) return 'accepted_range at metric level needs a column: { column, min, max }';
  const check: Omit<Check, 'at'> = {
    name: nameValue ?? defaultName(type as CheckType, target, args),
    type: type as CheckType,
    severity: severityValue,
    args,
  };
  if (target !== undefined) check.column = target;
  return check;
}

function argsFor(type: CheckType, value: unknown, inner: Record<string, unknown>): Record<string, unknown> | string {
  const isScalar = (x: unknown): boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  switch (type) {
    case 'not_null':
    case 'unique':
      return value === null || typeof value === 'object' ? {} : 'takes no value';
    case 'accepted_values': {
      const values = Array.isArray(value) ? value : inner.values;
      if (!Array.isArray(values) || values.length === 0 || !values.every(isScalar)) return 'needs a non-empty list of values, e.g. accepted_values: [placed, shipped]';
      return { values };
    }
    case 'accepted_range': {
      const { min, max } = inner;
      if (min === undefined && max === undefined) return 'needs min and/or max, e.g. accepted_range: { min: 0, max: 100 }';
      if ((min !== undefined && !isScalar(min)) || (max !== undefined && !isScalar(max))) return 'min and max must be numbers or strings (dates)';
      return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }), ...(inner.column === undefined ? {} : { column: inner.column }) };
    }
    case 'relationships': {
      const { to, field } = inner;
      if (typeof to !== 'string' || typeof field !== 'string') return 'needs { to: <table>, field: <column> }';
      return { to, field };
    }
    case 'row_count': {
      const { min, max } = inner;
      const ok = (x: unknown): boolean => x === undefined || (typeof x === 'number' && Number.isInteger(x) && x >= 0);
      if ((min === undefined && max === undefined) || !ok(min) || !ok(max)) return 'needs min and/or max as whole numbers, e.g. row_count: { min: 1 }';
      return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
    }
    case 'expression': {
      const expression = typeof value === 'string' ? value : inner.expression;
      if (typeof expression !== 'string' || expression.trim() === '') return 'needs a SQL condition every row must satisfy, e.g. expression: "amount >= 0"';
      return { expression };
    }
    case 'sql': {
      const sql = typeof value === 'string' ? value : inner.sql;
      if (typeof sql !== 'string' || sql.trim() === '') return 'needs a SELECT whose rows are failures, e.g. sql: "SELECT * FROM {{ this }} WHERE amount < 0"';
      return { sql };
    }
    case 'unique_combination': {
      const columns = Array.isArray(value) ? value : inner.columns;
      if (!Array.isArray(columns) || columns.length < 2 || !columns.every((c) => typeof c === 'string')) return 'needs a list of two or more columns, e.g. unique_combination: [customer_id, month]';
      return { columns };
    }
  }
}

function defaultName(type: CheckType, column: string | undefined, args: Record<string, unknown>): string {
  if (type === 'unique_combination') return `unique_combination(${(args.columns as string[]).join(', ')})`;
  if (type === 'expression') return `expression(${String(args.expression)})`;
  return column === undefined ? type : `${type}(${column})`;
}
