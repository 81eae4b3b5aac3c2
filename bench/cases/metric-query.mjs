// Case 10: engine.queryMetric on a 1M-row metric table (revenue, orders, aov by state per month) vs the same
// hand-written SQL on a bare DuckDB instance, both in this process on the same database file opened read-only.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { alternate, timeInProcess } from '../internal/measure.mjs';
import { cliBin, repoRoot } from '../internal/paths.mjs';
import { makeProject } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

const ROWS = 1_000_000;
const YAML = (rows) => `metric_name: sales
description: One row per order.
owner: bench
schedule: "0 6 * * *"
time: ordered_at
dimensions: [state]
measures:
  revenue: sum(amount)
  orders: count(*)
  aov: revenue / orders
sql: |
  SELECT TIMESTAMP '2017-01-01' + INTERVAL (range % 1000) DAY + INTERVAL (range % 86400) SECOND AS ordered_at,
         ['SP', 'RJ', 'MG', 'RS', 'PR', 'BA', 'SC'][range % 7 + 1] AS state,
         (range % 500) / 10 + 1.5 AS amount
  FROM range(${rows})
`;

// What an analyst would write by hand for the same answer (months without rows included).
const HAND_WRITTEN = `WITH f AS (
  SELECT date_trunc('month', ordered_at)::DATE AS month, state, sum(amount) AS revenue, count(*) AS orders, sum(amount) / count(*) AS aov
  FROM sales GROUP BY ALL
), s AS (SELECT range::DATE AS month FROM range((SELECT min(month) FROM f)::TIMESTAMP, ((SELECT max(month) FROM f) + INTERVAL 1 MONTH)::TIMESTAMP, INTERVAL 1 MONTH)),
g AS (SELECT * FROM s CROSS JOIN (SELECT DISTINCT state FROM f))
SELECT g.month, g.state, f.revenue, f.orders, f.aov FROM g LEFT JOIN f ON f.month = g.month AND f.state = g.state ORDER BY g.month, g.state`;

export default {
  id: 'metric-query',
  title: 'a metric query on a 1M-row metric table',
  timing: 'in process',
  async run({ options, log }) {
    const rows = options.quick ? 100_000 : ROWS;
    const project = makeProject('metric-query', { dataDir: repoRoot, files: [], metrics: [{ file: 'sales.yaml', name: 'sales', sql: 'SELECT 1', yaml: YAML(rows) }] });
    execFileSync(process.execPath, [cliBin, 'run', '--cwd', project.dir], { stdio: 'ignore' });
    log(`  ${rows} rows in the metric table`);
    const { createEngine } = await import(pathToFileURL(path.join(repoRoot, 'packages/core/dist/index.js')).href);
    const engine = createEngine({ cwd: project.dir, readOnly: true });
    const instance = await DuckDBInstance.create(project.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const request = { metric: 'sales', measures: ['revenue', 'orders', 'aov'], by: ['state'], grain: 'month', limit: 10_000 };
    try {
      const check = await engine.queryMetric(request);
      const bare = (await connection.runAndReadAll(HAND_WRITTEN)).getRowObjectsJS();
      if (check.rows.length !== bare.length) throw new Error(`queryMetric returned ${check.rows.length} rows, the hand-written SQL ${bare.length}`);
      const samples = await alternate([
        { name: 'tool', measure: () => timeInProcess(() => engine.queryMetric(request)) },
        { name: 'floor', measure: () => timeInProcess(async () => (await connection.runAndReadAll(HAND_WRITTEN)).getRowObjectsJS()) },
      ], { rounds: Math.max(options.rounds, 10) });
      return [
        comparison({
          name: `queryMetric, ${rows} rows, 3 measures by state per month`,
          tool: samples.tool, toolLabel: 'engine.queryMetric (reads the metric file, checks measures and options through DuckDB\'s parser, sandboxed SELECT in a rolled-back transaction)',
          floor: samples.floor, floorLabel: 'the same hand-written SQL on a bare DuckDB connection',
          target: 1.2,
        }),
      ];
    } finally {
      connection.closeSync();
      instance.closeSync();
      await engine.close();
    }
  },
};
