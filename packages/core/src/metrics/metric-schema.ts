// The metric file schema (valibot), its keys, and the JSON Schema published for editors.
import { Cron } from 'croner';
import * as v from 'valibot';
import { COLUMN_CHECKS_SCHEMA, METRIC_CHECKS_SCHEMA } from '../checks/check-json-schema.ts';
import { UNIT_TEST_SCHEMA } from '../unit-tests/unit-test-json-schema.ts';
import { KEEP_PATTERN, SNAPSHOT_JSON_SCHEMA } from './snapshot-spec.ts';

/** Names a metric may have: letters, digits and `_`, not starting with a digit, at most 63 characters. */
export const METRIC_NAME_PATTERN: RegExp = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `schedule` is a 5-field cron expression (or an `@daily`-style nickname) that croner accepts. */
export function isValidSchedule(schedule: string): boolean {
  const trimmed = schedule.trim();
  if (!trimmed.startsWith('@') && trimmed.split(/\s+/).length !== 5) return false;
  try {
    new Cron(trimmed, { paused: true });
    return true;
  } catch {
    return false;
  }
}

const nonEmpty = (what: string) =>
  v.pipe(v.string(`${what} must be a string`), v.trim(), v.nonEmpty(`${what} must not be empty`));

const columnSchema = v.object({
  name: v.pipe(nonEmpty('column name'), v.description('Column of the metric table.'), v.examples(['customer_id'])),
  description: v.optional(v.pipe(v.string('column description must be a string'), v.description('What the column holds.'))),
  checks: v.optional(v.pipe(v.array(v.unknown(), 'column checks must be a list'), v.description('Data checks on this column.'))),
});

/** The schema of `snapshot:` (valibot): `true`/`false`, or `{ key, keep }`; sub-keys are checked by `snapshotProblems`. */
const snapshotSchema = v.optional(v.pipe(
  v.union([
    v.boolean(),
    v.looseObject({
      key: v.optional(v.pipe(v.array(v.pipe(v.string('each snapshot key column must be a string'), v.trim(), v.nonEmpty('a snapshot key column must not be empty')), 'snapshot.key must be a list of column names'), v.nonEmpty('snapshot.key must name at least one column'))),
      keep: v.optional(v.pipe(v.string('snapshot.keep must be text such as "400 days"'), v.regex(KEEP_PATTERN, 'snapshot.keep must be a number and a unit, e.g. "400 days", "12 weeks", "2 years"'))),
    }),
  ], 'snapshot must be true, or a mapping { key: [columns], keep: "400 days" }'),
  v.description('Keep every published version in snapshots.<metric> (SCD type 2): true for all rows per build, or { key, keep } for versions per key with optional retention.'),
  v.examples([true, { key: ['customer_unique_id'], keep: '400 days' }]),
));

const metricSchema = v.object({
  metric_name: v.pipe(
    nonEmpty('metric_name'),
    v.maxLength(63, 'metric_name must be at most 63 characters'),
    v.regex(METRIC_NAME_PATTERN, 'metric_name may only hold letters, digits and _, and must not start with a digit'),
    v.description('Name of the table the metric becomes. Letters, digits and _, not starting with a digit, at most 63 characters; compared case-insensitively.'),
    v.examples(['customer_lifetime_value']),
  ),
  description: v.pipe(nonEmpty('description'), v.description('What the metric means, for the catalog.'), v.examples(['Total revenue per customer over all orders.'])),
  owner: v.pipe(nonEmpty('owner'), v.description('Person or team answerable for the metric.'), v.examples(['growth-analytics'])),
  schedule: v.pipe(
    nonEmpty('schedule'),
    v.check(isValidSchedule, 'schedule must be a 5-field cron expression such as "0 6 * * *" (minute hour day-of-month month day-of-week)'),
    v.description('When the metric should be refreshed: a 5-field cron expression, or @hourly/@daily/@weekly/@monthly/@yearly.'),
    v.examples(['0 6 * * *']),
  ),
  sql: v.pipe(
    v.string('sql must be a string holding one SELECT statement'),
    v.check((sql) => sql.trim().length > 0, 'sql must not be empty'),
    v.description('One SELECT (or WITH … SELECT) statement. Refer to sources and other metrics by table name.'),
    v.examples(['SELECT customer_id, sum(price) AS revenue\nFROM order_items\nGROUP BY customer_id']),
  ),
  tags: v.optional(v.pipe(v.array(v.string('each tag must be a string'), 'tags must be a list of strings'), v.description('Free labels, e.g. for selection with tag:finance.'), v.examples([['finance']]))),
  columns: v.optional(v.pipe(v.array(columnSchema, 'columns must be a list of { name, description }'), v.description('Documented columns of the metric table.'))),
  materialized: v.optional(v.pipe(v.picklist(['table', 'view'], 'materialized must be "table" or "view"'), v.description('How the metric is stored: a table (default) or a view.'))),
  depends_on: v.optional(v.pipe(v.array(v.string('each depends_on entry must be a string'), 'depends_on must be a list of table names'), v.description('Extra upstream tables the SQL parser cannot see.'))),
  checks: v.optional(v.pipe(v.array(v.unknown(), 'checks must be a list'), v.description('Metric-level data checks.'))),
  unique_key: v.optional(v.pipe(v.array(nonEmpty('each unique_key column'), 'unique_key must be a list of column names'), v.nonEmpty('unique_key must name at least one column'), v.description('Columns that identify a row; `duckmetrics plan` matches rows by them to count changed values.'), v.examples([['customer_id']]))),
  tests: v.optional(v.pipe(v.array(v.unknown(), 'tests must be a list of unit tests'), v.description('Unit tests of the SQL: given a few input rows, expect these output rows. Run before every build.'))),
  snapshot: snapshotSchema,
  time: v.optional(v.pipe(v.string('time must be the name of a DATE or TIMESTAMP column'), v.description('The DATE or TIMESTAMP column metric queries group by day, week, month, quarter or year.'), v.examples(['order_purchase_timestamp']))),
  dimensions: v.optional(v.pipe(v.array(v.string('each dimension must be a column name'), 'dimensions must be a list of column names'), v.description('Columns metric queries may group and filter by.'), v.examples([['customer_state']]))),
  measures: v.optional(v.pipe(v.record(v.string(), v.unknown(), 'measures must map each measure name to an expression'), v.description('Named aggregates over the columns (sum(order_value)), or expressions over other measures (revenue / orders).'))),
});

const MEASURE_SCHEMA = {
  oneOf: [
    { type: 'string', description: 'One aggregate expression over the columns, or an expression over other measures.', examples: ['sum(order_value)'] },
    {
      type: 'object',
      properties: { expr: { type: 'string', description: 'The expression.' }, description: { type: 'string', description: 'What the measure means.' } },
      required: ['expr'],
      additionalProperties: false,
    },
  ],
};

/** The keys a metric file may have. */
export const METRIC_KEYS: readonly string[] = Object.keys(metricSchema.entries);

/** A metric file's content after schema validation. */
export interface MetricFileData {
  metric_name: string;
  description: string;
  owner: string;
  schedule: string;
  sql: string;
  tags?: string[] | undefined;
  columns?: Array<{ name: string; description?: string | undefined; checks?: unknown[] | undefined }> | undefined;
  materialized?: 'table' | 'view' | undefined;
  depends_on?: string[] | undefined;
  checks?: unknown[] | undefined;
  unique_key?: string[] | undefined;
  tests?: unknown[] | undefined;
  snapshot?: boolean | { key?: string[] | undefined; keep?: string | undefined; [other: string]: unknown } | undefined;
  time?: string | undefined;
  dimensions?: string[] | undefined;
  measures?: Record<string, unknown> | undefined;
}

/** One schema problem: a message and the key path it is about. */
export interface SchemaIssue {
  message: string;
  path: Array<string | number>;
}

/**
 * Checks a parsed metric document against the metric schema.
 *
 * @example
 * ```ts
 * const r = parseMetricData({ metric_name: 'x' });
 * if (!r.ok) console.log(r.issues[0].path, r.issues[0].message);
 * ```
 */
export function parseMetricData(input: unknown): { ok: true; data: MetricFileData } | { ok: false; issues: SchemaIssue[] } {
  const result = v.safeParse(metricSchema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, data: result.output };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      message: missingKeyMessage(issue) ?? issue.message,
      path: (issue.path ?? []).map((p) => p.key as string | number),
    })),
  };
}

function missingKeyMessage(issue: v.BaseIssue<unknown>): string | undefined {
  const last = issue.path?.[issue.path.length - 1];
  if (issue.input === undefined && last && last.type === 'object') return `missing required field "${String(last.key)}"`;
  return undefined;
}

/**
 * The metric file schema as JSON Schema (draft-07), for editors (`# yaml-language-server: $schema=...`).
 *
 * @example
 * ```ts
 * writeFileSync('metric.schema.json', JSON.stringify(await metricJsonSchema(), null, 2));
 * ```
 */
export async function metricJsonSchema(): Promise<Record<string, unknown>> {
  const { toJsonSchema } = await import('@valibot/to-json-schema');
  const schema = toJsonSchema(metricSchema, { errorMode: 'ignore' }) as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  const columnItems = (properties.columns!.items as Record<string, Record<string, Record<string, unknown>>>).properties!;
  columnItems.checks = { ...columnItems.checks, items: COLUMN_CHECKS_SCHEMA };
  properties.checks = { ...properties.checks, items: METRIC_CHECKS_SCHEMA };
  properties.tests = { ...properties.tests, items: UNIT_TEST_SCHEMA };
  properties.snapshot = SNAPSHOT_JSON_SCHEMA;
  properties.measures = { ...properties.measures, additionalProperties: MEASURE_SCHEMA, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } };
  return {
    ...schema,
    $id: 'https://duckmetrics.dev/metric.schema.json',
    title: 'duckmetrics metric file',
    description: 'One metric: a SELECT statement that becomes a DuckDB table, with its documentation and schedule.',
    additionalProperties: false,
  };
}
