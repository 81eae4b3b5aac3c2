// Schema issues from valibot turned into plain-language messages with did-you-mean.
import type { SchemaIssue } from './metric-schema.ts';
import { didYouMean } from '../did-you-mean.ts';

/** The keys every metric file must have. */
const REQUIRED_KEYS: readonly string[] = ['metric_name', 'description', 'owner', 'schedule', 'sql'];

/** A schema issue as the user should read it: code, message, and the key path to point at. */
export interface SchemaProblem {
  code: 'SCHEMA_MISSING_FIELD' | 'SCHEMA_INVALID';
  message: string;
  path: Array<string | number>;
}

/**
 * Words a schema issue for a person: a required key with nothing after the colon is "empty" (not "must be a
 * string"), a wrong type says what was found instead (`metric_name: 123` is "the number 123"), and a missing
 * key that a misspelt key stands in for points at the misspelling.
 *
 * @example
 * ```ts
 * describeSchemaIssue({ message: 'metric_name must be a string', path: ['metric_name'] }, { metric_name: 123 }, []);
 * // { code: 'SCHEMA_INVALID', message: 'metric_name must be a string; found the number 123 …', path: ['metric_name'] }
 * ```
 */
export function describeSchemaIssue(issue: SchemaIssue, data: unknown, unknownKeys: readonly string[]): SchemaProblem {
  const key = String(issue.path[issue.path.length - 1] ?? '');
  if (issue.message.startsWith('missing required')) {
    const typo = unknownKeys.find((k) => didYouMean(k, [key]) === key);
    return typo === undefined
      ? { code: 'SCHEMA_MISSING_FIELD', message: issue.message, path: issue.path }
      : { code: 'SCHEMA_MISSING_FIELD', message: `${issue.message}; is "${typo}" a misspelling of it?`, path: [typo] };
  }
  const value = valueAt(data, issue.path);
  const topLevelRequired = issue.path.length === 1 && REQUIRED_KEYS.includes(key);
  if (topLevelRequired && (value === null || (typeof value === 'string' && value.trim() === ''))) {
    return { code: 'SCHEMA_MISSING_FIELD', message: `required field "${key}" is empty`, path: issue.path };
  }
  const wantsText = / must be a string/.test(issue.message);
  const wantsList = / must be a list/.test(issue.message);
  if ((wantsText && typeof value !== 'string') || (wantsList && !Array.isArray(value))) {
    const found = describeValue(value);
    if (found !== undefined) {
      const quote = issue.path.length === 1 && (typeof value === 'number' || typeof value === 'boolean') ? ` (write text in quotes, e.g. ${key}: "${String(value)}")` : '';
      return { code: 'SCHEMA_INVALID', message: `${issue.message}; found ${found}${wantsText ? quote : ''}`, path: issue.path };
    }
  }
  return { code: 'SCHEMA_INVALID', message: issue.message, path: issue.path };
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = data;
  for (const p of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[p];
  }
  return value;
}

/** What a YAML value is, in words: `the number 123`, `a list`, `true`. */
function describeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'nothing (an empty value)';
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `${String(value)} (a yes/no value)`;
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof Uint8Array) return 'binary data';
  if (value instanceof Date) return 'a date';
  if (value instanceof Map || typeof value === 'object') return 'a map of keys';
  return typeof value;
}

/**
 * Where a NUL character hides in parsed YAML (a `"\0"` escape): the key path to it, or undefined. No metric value
 * may hold one: DuckDB reads SQL text as a C string and would cut it there.
 *
 * @example
 * ```ts
 * pathOfNulCharacter({ sql: 'SELECT 1', tags: ['a\0'] }); // ['tags', 0]
 * ```
 */
export function pathOfNulCharacter(value: unknown, path: Array<string | number> = []): Array<string | number> | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (key.includes('\0')) return at;
    const found = pathOfNulCharacter(child, at);
    if (found) return found;
  }
  return undefined;
}

/** What to write instead, for a schema problem at the top-level key `path[0]`. */
export function schemaHint(path: Array<string | number>): string {
  const key = String(path[0] ?? '');
  const hints: Record<string, string> = {
    metric_name: 'use letters, digits and _ only, starting with a letter or _, e.g. metric_name: customer_ltv',
    description: 'add a one-line description: what the metric means',
    owner: 'add the person or team answerable for the metric, e.g. owner: growth-analytics',
    schedule: 'use a 5-field cron expression, e.g. schedule: "0 6 * * *" for every day at 06:00',
    sql: 'write one SELECT statement, e.g. sql: |\n  SELECT ...',
    tags: 'write tags as a list, e.g. tags: [finance, weekly]',
    columns: 'write columns as a list of { name, description }',
    materialized: 'use materialized: table or materialized: view',
    depends_on: 'write depends_on as a list of table names',
    unique_key: 'write unique_key as a list of column names, e.g. unique_key: [customer_id]',
    time: 'write time: <a DATE or TIMESTAMP column>',
    dimensions: 'write dimensions as a list of column names, e.g. dimensions: [customer_state]',
    measures: 'write measures as a map, e.g. measures: { revenue: sum(order_value) }',
  };
  return hints[key] ?? 'a metric file needs metric_name, description, owner, schedule and sql (tags, columns, checks, materialized, depends_on are optional); duckmetrics new <metric_name> writes one from a template';
}
