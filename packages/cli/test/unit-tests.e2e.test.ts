// Unit tests through the built CLI: `test` prints the diff and exits 1, `run` fails the metric and keeps its table,
// `--no-tests` builds anyway, `new` writes a commented stub that validates, and `validate` points at the line.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const metric = (expected: number): string => `metric_name: revenue
description: Revenue per customer.
owner: tests
schedule: "0 6 * * *"
sql: |
  SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL
tests:
  - name: sums per customer
    given:
      orders:
        - { customer_id: 10, amount: 5.5 }
        - { customer_id: 10, amount: 4.5 }
    expect:
      rows:
        - { customer_id: 10, revenue: ${expected} }
`;
const files = { 'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n' };

describe('unit tests in the CLI', () => {
  it('test passes, then prints a failing test with its diff and exits 1; --json has the diff', async () => {
    project = await projectDir({ ...files, 'metrics/revenue.yaml': metric(10) });
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    const pass = await runCli(['test', '--unit'], project.dir);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/✓ revenue › sums per customer/);
    expect(pass.stdout).toContain('unit tests: 1 passed, 0 failed');

    await project.write({ 'metrics/revenue.yaml': metric(11) });
    const fail = await runCli(['test'], project.dir);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/✗ revenue › sums per customer\s+1 expected row missing, 1 unexpected row .* metrics\/revenue\.yaml:8/);
    expect(fail.stdout).toMatch(/customer_id\s+revenue\n\s+- 10\s+11\n\s+\+ 10\s+10/);
    const json = JSON.parse((await runCli(['test', '--json'], project.dir)).stdout);
    expect(json.ok).toBe(false);
    expect(json.tests[0]).toMatchObject({ metric: 'revenue', test: 'sums per customer', line: 8, status: 'fail', diff: { missing: [{ customer_id: 10, revenue: 11 }], unexpected: [{ customer_id: 10, revenue: 10 }] } });
  });

  it('run fails the metric with the diff and keeps the previous table; --no-tests builds', async () => {
    project = await projectDir({ ...files, 'metrics/revenue.yaml': metric(10) });
    await runCli(['setup'], project.dir);
    expect((await runCli(['run'], project.dir)).code).toBe(0);
    await project.write({ 'metrics/revenue.yaml': metric(10).replace('sum(amount)', 'sum(amount) * 2') });
    const run = await runCli(['run'], project.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ revenue\s+failed: unit test failed/);
    expect(run.stdout + run.stderr).toMatch(/metrics\/revenue\.yaml:8:1 error UNIT_TEST_FAILED unit test "sums per customer" failed/);
    const kept = JSON.parse((await runCli(['query', 'SELECT revenue FROM revenue WHERE customer_id = 10', '--json'], project.dir)).stdout);
    expect(kept.rows).toEqual([{ revenue: 10 }]);
    const forced = await runCli(['run', '--no-tests'], project.dir);
    expect(forced.code).toBe(0);
    const rebuilt = JSON.parse((await runCli(['query', 'SELECT revenue FROM revenue WHERE customer_id = 10', '--json'], project.dir)).stdout);
    expect(rebuilt.rows).toEqual([{ revenue: 20 }]);
  });

  it('validate names a misspelt input table at its line; new writes a commented test stub that validates', async () => {
    project = await projectDir({ ...files, 'metrics/revenue.yaml': metric(10).replace('      orders:', '      order:') });
    await runCli(['setup'], project.dir);
    const validate = await runCli(['validate'], project.dir);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/metrics\/revenue\.yaml:10:7 error TEST_INPUT_UNKNOWN test "sums per customer" gives table "order", which the SQL does not read \(did you mean "orders"\?\)/);
    await project.write({ 'metrics/revenue.yaml': metric(10) });
    expect((await runCli(['new', 'weekly'], project.dir)).code).toBe(0);
    const stub = await readFile(path.join(project.dir, 'metrics/weekly.yaml'), 'utf8');
    expect(stub).toMatch(/^# tests: /m);
    expect(stub).toMatch(/^#     given: /m);
    expect((await runCli(['validate'], project.dir)).code).toBe(0);
  });
});
