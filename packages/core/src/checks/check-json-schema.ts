// The JSON Schema of the checks, for editors.
/** JSON Schema (draft-07) of checks, for editors. The engine's own reading of checks is `normalizeChecks`. */

const severity = { enum: ['error', 'warn'], description: '`error` (default) blocks publishing the table; `warn` only reports.' };
const name = { type: 'string', description: 'Name shown in results; default: the type and column, e.g. not_null(customer_id).' };
const options = { severity, name };
const scalar = { type: ['string', 'number', 'boolean'] };
const bound = { type: ['number', 'string'] };

function checkObject(key: string, value: Record<string, unknown>, description: string, example: unknown): Record<string, unknown> {
  return {
    type: 'object',
    description,
    properties: { [key]: value, ...options },
    required: [key],
    additionalProperties: false,
    examples: [example],
  };
}

const flag = (key: string, description: string): Record<string, unknown>[] => [
  { const: key, description },
  checkObject(key, { type: ['object', 'null'], properties: options, additionalProperties: false }, description, { [key]: { severity: 'warn' } }),
];

const acceptedRange = (withColumn: boolean): Record<string, unknown> =>
  checkObject(
    'accepted_range',
    {
      type: 'object',
      properties: { ...(withColumn ? { column: { type: 'string' } } : {}), min: bound, max: bound, ...options },
      ...(withColumn ? { required: ['column'] } : {}),
      additionalProperties: false,
    },
    'Every non-null value lies within min and max (inclusive).',
    withColumn ? { accepted_range: { column: 'amount', min: 0 } } : { accepted_range: { min: 0, max: 100 } },
  );

/** Checks allowed under a column's `checks:`. */
export const COLUMN_CHECKS_SCHEMA: Record<string, unknown> = {
  description: 'A data check on this column.',
  anyOf: [
    ...flag('not_null', 'No row has NULL in this column.'),
    ...flag('unique', 'No two rows share a value in this column (NULLs ignored).'),
    checkObject('accepted_values', { anyOf: [{ type: 'array', items: scalar, minItems: 1 }, { type: 'object', properties: { values: { type: 'array', items: scalar, minItems: 1 }, ...options }, required: ['values'] }] }, 'Every non-null value is one of these.', { accepted_values: ['placed', 'shipped'] }),
    acceptedRange(false),
    checkObject('relationships', { type: 'object', properties: { to: { type: 'string', description: 'Table (source or metric).' }, field: { type: 'string', description: 'Column in that table.' }, ...options }, required: ['to', 'field'], additionalProperties: false }, 'Every non-null value exists in to.field (referential integrity).', { relationships: { to: 'stg_customers', field: 'customer_id' } }),
  ],
};

/** Checks allowed under the metric's top-level `checks:`. */
export const METRIC_CHECKS_SCHEMA: Record<string, unknown> = {
  description: 'A data check on the whole metric table.',
  anyOf: [
    checkObject('row_count', { type: 'object', properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 }, ...options }, additionalProperties: false }, 'The table has at least min and at most max rows.', { row_count: { min: 1 } }),
    checkObject('expression', { type: 'string' }, 'A SQL condition every row must satisfy.', { expression: 'amount >= 0' }),
    checkObject('sql', { type: 'string' }, 'A SELECT whose rows are failures; {{ this }} is the metric table.', { sql: 'SELECT * FROM {{ this }} WHERE amount < 0' }),
    checkObject('unique_combination', { type: 'array', items: { type: 'string' }, minItems: 2 }, 'No two rows share the same values in these columns.', { unique_combination: ['customer_id', 'month'] }),
    acceptedRange(true),
  ],
};
