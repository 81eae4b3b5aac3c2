// The files `duckmetrics init` writes: a project that runs as it stands.
import { metricSchemaLine } from './metric-template.ts';

/** A file `init` writes: path relative to the project folder, and its text. */
export interface TemplateFile {
  path: string;
  text: string;
  /** Written only when the file does not exist yet; never a conflict (e.g. the analysts' own package.json). */
  optional?: boolean;
}

const ORDERS_CSV = `order_id,customer,ordered_at,status,amount
1,ana,2026-01-05,completed,42.50
2,ben,2026-01-06,completed,18.00
3,ana,2026-01-09,completed,7.25
4,chloe,2026-01-11,cancelled,99.00
5,dev,2026-01-12,completed,64.10
6,ben,2026-01-15,completed,23.40
7,emma,2026-01-18,completed,12.00
8,chloe,2026-01-20,completed,55.55
9,dev,2026-01-22,returned,30.00
10,ana,2026-01-25,completed,19.90
11,emma,2026-01-27,completed,8.75
12,chloe,2026-01-30,completed,41.00
`;

const CONFIG = `import { defineConfig } from '@duckmetrics/core';
import { csv } from '@duckmetrics/plugin-csv';
import { validateSql } from '@duckmetrics/plugin-validate-sql';

// Settings of this project (all optional). Every key: docs/config-reference.md in the duckmetrics repository.
export default defineConfig({
  database: 'metrics.duckdb', // the DuckDB file that holds every table
  metricsDir: 'metrics', // where the metric .yaml files are
  plugins: [csv({ dir: 'data' }), validateSql()], // data/*.csv become tables; metric SQL is checked by DuckDB
  timezone: 'UTC', // the time zone the metrics' cron schedules are read in
});
`;

const customerRevenue = (schema: string): string => `${schema}
metric_name: customer_revenue
description: Completed orders and revenue per customer.
owner: analytics
schedule: "0 6 * * *" # cron: minute hour day-of-month month day-of-week (every day at 06:00)
tags: [finance, example]
columns:
  - name: customer
    description: Who placed the orders.
    checks: [not_null, unique]
  - name: orders
    description: Completed orders.
  - name: revenue
    description: Sum of the completed orders' amounts.
    checks:
      - accepted_range: { min: 0 }
sql: |
  SELECT customer,
         count(*) AS orders,
         sum(amount) AS revenue
  FROM orders
  WHERE status = 'completed'
  GROUP BY customer
`;

const topCustomers = (schema: string): string => `${schema}
metric_name: top_customers
description: The three customers with the most revenue (builds on customer_revenue).
owner: analytics
schedule: "30 6 * * *" # every day at 06:30, after customer_revenue
tags: [finance, example]
checks:
  - row_count: { min: 1, max: 3 }
sql: |
  SELECT customer, revenue
  FROM customer_revenue
  ORDER BY revenue DESC
  LIMIT 3
`;

const GITIGNORE = `# The DuckDB database: rebuilt from data/ and metrics/ by duckmetrics build
metrics.duckdb
metrics.duckdb.wal
.tmp/
# The catalog site (duckmetrics docs) and installed packages
site/
node_modules/
`;

const readme = (name: string): string => `# ${name}

Metrics as YAML + SQL, built into a DuckDB file by duckmetrics (\`duckmetrics --help\` lists its commands).

| path | what it holds |
| --- | --- |
| \`data/\` | CSV files: each becomes a table named after the file (\`orders.csv\` → \`orders\`) |
| \`metrics/\` | one metric per \`.yaml\` file: its SQL, description, owner, schedule, columns and checks |
| \`metrics.config.ts\` | settings: database file, plugins, time zone of schedules |
| \`metrics.duckdb\` | the database (not committed: \`duckmetrics build\` rebuilds it) |

\`\`\`sh
duckmetrics build              # load data/*.csv, then validate and build one table per metric (only what changed)
duckmetrics list               # every metric and source: owner, schedule, last run, next due time
duckmetrics show top_customers # one metric: definition, lineage, columns, last runs, first rows
duckmetrics show orders        # one source: its file, rows, columns and types
duckmetrics new weekly_revenue # a new metric file from a template
duckmetrics dev                # rebuild what changed whenever you save a file
duckmetrics --help             # every command (setup, validate, run, test, query, history, docs, clean, …)
\`\`\`

\`metrics/top_customers.yaml\` reads \`customer_revenue\` by its table name: duckmetrics builds
\`customer_revenue\` first. \`metrics.config.ts\` imports \`@duckmetrics/*\`: they are the packages of the
\`duckmetrics\` command that runs it, so the project needs no \`npm install\`. The first line of each metric file
points your editor (VS Code with the YAML extension) at the metric schema in \`node_modules\`: it is there once
\`@duckmetrics/core\` is installed in the project, and harmless until then.
`;

const packageJson = (name: string): string => `${JSON.stringify(
  {
    name: name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'metrics',
    private: true,
    type: 'module',
    // No dependency on @duckmetrics/*: not on the registry yet, so `npm install` would fail; the scripts use the
    // duckmetrics on PATH, whose packages the config's imports resolve to.
    scripts: { build: 'duckmetrics build', validate: 'duckmetrics validate', dev: 'duckmetrics dev' },
  },
  null,
  2,
)}\n`;

/**
 * The files of a new project: a config typed with `defineConfig`, a sample CSV, two metrics (one reading the
 * other), a `.gitignore` for the database, a README and (unless there is one) a package.json.
 *
 * @example
 * ```ts
 * projectTemplate('my-metrics').map((f) => f.path); // ['metrics.config.ts', 'data/orders.csv', …]
 * ```
 */
export function projectTemplate(name: string): TemplateFile[] {
  const schema = metricSchemaLine(1);
  return [
    { path: 'metrics.config.ts', text: CONFIG },
    { path: 'data/orders.csv', text: ORDERS_CSV },
    { path: 'metrics/customer_revenue.yaml', text: customerRevenue(schema) },
    { path: 'metrics/top_customers.yaml', text: topCustomers(schema) },
    { path: '.gitignore', text: GITIGNORE },
    { path: 'README.md', text: readme(name) },
    { path: 'package.json', text: packageJson(name), optional: true },
  ];
}
