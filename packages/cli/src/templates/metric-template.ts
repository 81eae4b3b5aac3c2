// The metric file `duckmetrics new` writes, and the editor-schema line metric files start with.
/** Where metric files find the JSON Schema: `@duckmetrics/core` as installed in the project's node_modules. */
export const METRIC_SCHEMA_PATH = 'node_modules/@duckmetrics/core/metric.schema.json';

/**
 * The editor-schema line for a metric file `depth` folders below the project root (1 for `metrics/x.yaml`):
 * the YAML language server (VS Code's YAML extension) then completes and checks the keys.
 *
 * @example
 * ```ts
 * metricSchemaLine(1); // '# yaml-language-server: $schema=../node_modules/@duckmetrics/core/metric.schema.json'
 * ```
 */
export function metricSchemaLine(depth: number): string {
  return `# yaml-language-server: $schema=${'../'.repeat(Math.max(0, depth))}${METRIC_SCHEMA_PATH}`;
}

/**
 * A new metric file: every required key with a placeholder, and a SELECT that validates as it stands.
 *
 * @example
 * ```ts
 * metricTemplate('weekly_revenue', 1);
 * ```
 */
export function metricTemplate(name: string, depth: number): string {
  return `${metricSchemaLine(depth)}
metric_name: ${name}
description: What ${name} measures, in one sentence.
owner: your-team
schedule: "0 6 * * *" # cron: minute hour day-of-month month day-of-week (every day at 06:00)
tags: []
# columns:             # document columns and check them on every run (not_null, unique, accepted_values, accepted_range, relationships)
#   - name: customer
#     description: Who placed the orders.
#     checks: [not_null, unique]
sql: |
  -- One SELECT over sources (data/*.csv, by file name) and other metrics (by metric_name).
  SELECT 1 AS value
# tests:               # unit tests: run before every build; a failing one keeps the old table
#   - name: counts delivered orders only
#     now: 2024-03-01 10:00:00        # optional: fixes now() and current_date
#     given:                          # every table the SQL reads; only the columns the test needs
#       orders:
#         - { order_id: o1, customer: c1, status: delivered }
#         - { order_id: o2, customer: c1, status: canceled }
#       customers: { csv: tests/customers.csv }   # or rows from a CSV file next to this one
#     expect:
#       rows:                         # compared as a multiset; order: exact to compare in order
#         - { customer: c1, orders: 1 }
`;
}
