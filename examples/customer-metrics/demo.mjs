// The whole pipeline on this example, through the built CLI: setup → validate → run, then the tables.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@duckmetrics/core';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '../../packages/cli/dist/bin.js');
for (const command of ['setup', 'validate', 'run']) {
  console.log(`\n$ duckmetrics ${command}`);
  try {
    execFileSync(process.execPath, [cli, command, '--cwd', here], { stdio: 'inherit' });
  } catch (error) {
    process.exit(error.status ?? 1);
  }
}

const engine = createEngine({ cwd: here });
const config = await engine.config();
for (const name of ['customer_lifetime_value', 'top_customers', 'average_order_value', 'revenue_by_state', 'delivery_time', 'repeat_purchase_rate']) {
  const rows = await engine.query(`SELECT * FROM "${name}" LIMIT 5`);
  console.log(`\n${name} (first ${rows.length} rows from ${path.relative(process.cwd(), config.database)})`);
  console.table(rows);
}
// customer_lifetime_value has snapshot: { key: [customer_unique_id] }: each run keeps the people whose LTV changed.
const [{ versions, people }] = await engine.query('SELECT count(*)::INTEGER AS versions, count(DISTINCT customer_unique_id)::INTEGER AS people FROM snapshots.customer_lifetime_value');
console.log(`\nsnapshots.customer_lifetime_value: ${versions} versions of ${people} people (duckmetrics show customer_lifetime_value --as-of <time> reads the past)`);
await engine.close();
