// Case 7: `duckmetrics test --unit` (the example's unit tests, each copied 10 times) vs a bare in-memory DuckDB per
// test that creates the given rows and runs the SELECT. Also the time per test, from the tool's own JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse, stringify } from 'yaml';
import { alternate, median } from '../internal/measure.mjs';
import { cliBin, floorScript, repoRoot } from '../internal/paths.mjs';
import { exampleFixtures, makeProject } from '../internal/projects.mjs';
import { comparison, round } from '../internal/rows.mjs';

const COPIES = 10;

export default {
  id: 'unit-tests',
  title: 'unit tests of metric SQL',
  timing: 'whole process',
  async run({ options, cli, floor, log }) {
    const example = path.join(repoRoot, 'examples/customer-metrics');
    const copies = options.quick ? 2 : COPIES;
    const floorTests = [];
    const metrics = [];
    for (const file of ['customer_lifetime_value.yaml', 'delivery_time.yaml', 'order_values.yaml', 'repeat_purchase_rate.yaml']) {
      const doc = parse(readFileSync(path.join(example, 'metrics', file), 'utf8'));
      const tests = [];
      for (let i = 0; i < copies; i++) {
        for (const t of doc.tests) {
          tests.push({ ...t, name: `${t.name} #${i + 1}` });
          floorTests.push({
            sql: doc.sql,
            given: Object.entries(t.given).map(([table, value]) => (Array.isArray(value) ? { table, rows: value } : { table, csv: path.join(example, 'metrics', value.csv) })),
          });
        }
      }
      metrics.push({ file, name: doc.metric_name, sql: doc.sql, yaml: stringify({ ...doc, tests }) });
    }
    const project = makeProject('unit-tests', { dataDir: path.join(example, 'data'), files: ['customers.csv', 'orders.csv', 'order_items.csv'], metrics, fixtures: exampleFixtures });
    execFileSync(process.execPath, [cliBin, 'setup', '--cwd', project.dir], { stdio: 'ignore' });
    // The floor types the inputs as the tool does: the loaded sources' columns.
    const instance = await DuckDBInstance.create(project.database);
    const connection = await instance.connect();
    const columns = (await connection.runAndReadAll(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)).getRows();
    connection.closeSync();
    instance.closeSync();
    for (const t of floorTests) {
      for (const input of t.given) {
        const own = columns.filter((c) => c[0] === input.table).map((c) => ({ column: c[1], type: c[2] }));
        if (own.length > 0) input.columns = own;
      }
    }
    const testsFile = path.join(project.dir, 'floor-tests.json');
    writeFileSync(testsFile, JSON.stringify(floorTests));
    log(`  ${floorTests.length} unit tests`);

    const samples = await alternate([
      { name: 'tool', measure: () => cli(['test', '--unit', '--cwd', project.dir]) },
      { name: 'floor', measure: () => floor('unit-test', [testsFile]) },
    ], { rounds: options.rounds });
    // Time per test, as each side measures it in process (the tool's includes typing the inputs and comparing).
    const perTool = median(JSON.parse(execFileSync(process.execPath, [cliBin, 'test', '--unit', '--json', '--cwd', project.dir], { encoding: 'utf8' })).tests.map((t) => t.durationMs));
    const perFloor = Number(execFileSync(process.execPath, [floorScript('unit-test'), testsFile], { encoding: 'utf8' }));
    return [
      comparison({
        name: `test --unit, ${floorTests.length} tests`,
        tool: samples.tool, toolLabel: 'duckmetrics test --unit (validate, then each test in an in-memory catalog of its own on a sandboxed shared DuckDB, or its own DuckDB for CSV fixtures)',
        floor: samples.floor, floorLabel: `floor-unit-test.mjs (${floorTests.length} in-memory DuckDBs: create the given rows, run the SELECT)`,
        target: 1.5,
        extra: { toolMsPerMetric: round(perTool), floorMsPerMetric: round(perFloor), perTestTargetMs: 50 },
      }),
    ];
  },
};
