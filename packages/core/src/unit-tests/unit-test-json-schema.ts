// The JSON Schema of a metric file's `tests:`, for editors. The engine's own reading of tests is `normalizeTests`.
const row = { type: 'object', description: 'One row: column name to value. Columns left out are NULL.', additionalProperties: true };
const rows = { type: 'array', items: row, description: 'Rows, each a map of column: value ([] for an empty table).' };

/** JSON Schema (draft-07) of one unit test. */
export const UNIT_TEST_SCHEMA: Record<string, unknown> = {
  type: 'object',
  description: 'A unit test of the SQL: given a few rows of the tables it reads, expect these result rows.',
  required: ['name', 'given', 'expect'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'What the test shows, e.g. "ltv counts delivered orders only".' },
    now: { type: 'string', description: 'Fixes the clock: now(), current_date and friends return this timestamp, e.g. "2024-03-01 10:00:00".' },
    given: {
      type: 'object',
      description: 'Each table the SQL reads (a source or another metric): inline rows, or { csv: file } next to the metric file.',
      additionalProperties: {
        oneOf: [
          rows,
          { type: 'object', properties: { csv: { type: 'string', description: 'Path of a CSV file with a header row, relative to the metric file.' } }, required: ['csv'], additionalProperties: false },
          { type: 'object', properties: { rows }, required: ['rows'], additionalProperties: false },
        ],
      },
    },
    expect: {
      oneOf: [
        rows,
        {
          type: 'object',
          required: ['rows'],
          additionalProperties: false,
          properties: {
            rows: { ...rows, description: 'The rows the SQL must return ([] for none).' },
            order: { enum: ['any', 'exact'], description: '`any` (default): compared as a multiset; `exact`: row by row, in order.' },
            columns: { enum: ['listed', 'all'], description: '`listed` (default): only the columns written are compared; `all`: the result must have exactly these columns.' },
            tolerance: { type: 'number', minimum: 0, description: 'Relative tolerance for FLOAT, DOUBLE and DECIMAL values (default 1e-9).' },
          },
        },
      ],
    },
  },
  examples: [{ name: 'counts delivered orders only', given: { orders: [{ order_id: 'o1', order_status: 'delivered' }] }, expect: { rows: [{ orders: 1 }] } }],
};
