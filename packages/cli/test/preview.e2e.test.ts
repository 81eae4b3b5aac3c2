// plan / publish / rollback through the built CLI: the diff line and sample, exit codes, JSON contract, refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const stg = (where: string): string => `metric_name: stg_orders
description: Orders.
owner: tests
schedule: "0 6 * * *"
unique_key: [order_id]
sql: |
  SELECT order_id, status, amount FROM orders WHERE ${where}
`;
const csv = 'order_id,status,amount\n1,placed,5\n2,shipped,7\n3,placed,9\n4,shipped,1\n';

describe('plan, publish and rollback in the CLI', () => {
  it('prints the diff, publishes, refuses a stale plan, rolls back; exit codes 0 / 1 / 2', async () => {
    project = await projectDir({ 'data/orders.csv': csv, 'metrics/stg_orders.yaml': stg('true') });
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    expect((await runCli(['run'], project.dir)).code).toBe(0);
    await project.write({ 'metrics/stg_orders.yaml': stg('amount > 4') });
    const plan = await runCli(['plan'], project.dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/~ stg_orders\s+4 → 3 rows\s+−1 removed\s+0 changed/);
    expect(plan.stdout).toContain('− order_id=4 status="shipped" amount=1');
    const json = JSON.parse((await runCli(['plan', '--json'], project.dir)).stdout);
    expect(json.metrics[0]).toMatchObject({ name: 'stg_orders', action: 'build', reason: 'changed', diff: { key: ['order_id'], rowsBefore: 4, rowsAfter: 3, added: 0, removed: 1, changed: 0, columns: { status: 0, amount: 0 }, schema: { added: [], removed: [], changed: [] } } });
    expect(json.metrics[0].diff.sample).toEqual([{ key: { order_id: 4 }, before: { order_id: 4, status: 'shipped', amount: 1 }, after: null }]);
    expect((await runCli(['query', 'SELECT count(*) AS n FROM stg_orders', '--json'], project.dir)).stdout).toContain('"n": 4');

    await project.write({ 'data/orders.csv': `${csv}5,placed,3\n` });
    await runCli(['setup'], project.dir);
    const refused = await runCli(['publish'], project.dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('source orders changed since the plan');

    expect((await runCli(['plan'], project.dir)).code).toBe(0);
    const published = await runCli(['publish', '--json'], project.dir);
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({ ok: true, published: [{ name: 'stg_orders', rows: 3 }] });
    const back = await runCli(['rollback', 'stg_orders'], project.dir);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('4 rows put back');
    expect((await runCli(['rollback'], project.dir)).code).toBe(2);
    expect((await runCli(['plan', '--sample', 'x'], project.dir)).code).toBe(2);
  });

  it('exits 1 when an audit fails in the preview, and publish keeps the table', async () => {
    project = await projectDir({ 'data/orders.csv': csv, 'metrics/stg_orders.yaml': stg('true') });
    await runCli(['setup'], project.dir);
    await runCli(['run'], project.dir);
    await project.write({ 'metrics/stg_orders.yaml': `${stg('amount > 4')}checks:\n  - row_count: { min: 4 }\n` });
    const plan = await runCli(['plan'], project.dir);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/✗ stg_orders\s+4 → 3 rows .*failed: check failed/);
    expect((await runCli(['publish'], project.dir)).code).toBe(1);
    expect((await runCli(['query', 'SELECT count(*) AS n FROM stg_orders', '--json'], project.dir)).stdout).toContain('"n": 4');
  });
});
