import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

const data = {
  'data/orders.csv': 'order_id,customer_id,status,amount\n1,10,placed,5.5\n2,10,shipped,4.5\n3,11,completed,7\n4,12,returned,2\n',
  'data/customers.csv': 'customer_id,state\n10,SP\n11,RJ\n12,MG\n',
};

async function start(files: Record<string, string>): Promise<Engine> {
  project = await projectDir({ ...data, ...files });
  engine = createEngine({ cwd: project.dir });
  expect((await engine.load()).ok).toBe(true);
  return engine;
}

/** A metric over orders with `checks` YAML appended verbatim. */
const withChecks = (name: string, sql: string, checksYaml: string): string => `${metricYaml({ metric_name: name, sql })}${checksYaml}`;

describe('data checks', () => {
  const cases: Array<[string, string, string, string]> = [
    // [check type, yaml that passes, yaml that fails, expected failing rows in message]
    ['not_null', 'columns:\n  - name: customer_id\n    checks: [not_null]\n', 'columns:\n  - name: note\n    checks: [not_null]\n', '4 rows with NULL'],
    ['unique', 'columns:\n  - name: order_id\n    checks: [unique]\n', 'columns:\n  - name: customer_id\n    checks: [unique]\n', '2 rows share a value'],
    ['accepted_values', 'columns:\n  - name: status\n    checks:\n      - accepted_values: [placed, shipped, completed, returned]\n', 'columns:\n  - name: status\n    checks:\n      - accepted_values: [placed, shipped]\n', '2 rows with a value'],
    ['accepted_range', 'columns:\n  - name: amount\n    checks:\n      - accepted_range: { min: 0, max: 10 }\n', 'columns:\n  - name: amount\n    checks:\n      - accepted_range: { min: 3 }\n', '1 row'],
    ['relationships', 'columns:\n  - name: customer_id\n    checks:\n      - relationships: { to: customers, field: customer_id }\n', 'columns:\n  - name: order_id\n    checks:\n      - relationships: { to: customers, field: customer_id }\n', '4 rows'],
    ['row_count', 'checks:\n  - row_count: { min: 1, max: 4 }\n', 'checks:\n  - row_count: { max: 3 }\n', 'the table has 4 rows'],
    ['expression', 'checks:\n  - expression: "amount >= 0"\n', 'checks:\n  - expression: "amount > 5"\n', '2 rows'],
    ['sql', 'checks:\n  - sql: "SELECT * FROM {{ this }} WHERE amount < 0"\n', 'checks:\n  - sql: "SELECT * FROM {{this}} WHERE status = \'returned\'"\n', '1 row'],
    ['unique_combination', 'checks:\n  - unique_combination: [customer_id, order_id]\n', 'checks:\n  - unique_combination: [customer_id, note]\n', '2 rows'],
  ];
  const sql = 'SELECT order_id, customer_id, status, amount, CASE WHEN order_id < 0 THEN 1 END AS note FROM orders';

  for (const [type, passing, failing, expected] of cases) {
    it(`${type} passes on good data and fails on bad, keeping the previous table`, async () => {
      const e = await start({ 'metrics/m.yaml': withChecks('m', sql, passing) });
      const first = await e.run();
      expect(first.metrics[0]).toMatchObject({ name: 'm', status: 'success', rows: 4 });
      await e.query('CREATE TABLE marker AS SELECT 1'); // proves the old table is the same object afterwards
      const before = await e.query('SELECT * FROM m ORDER BY order_id');
      await project!.write({ 'metrics/m.yaml': withChecks('m', `${sql} WHERE order_id > 0`, failing) });
      const second = await e.run();
      expect(second.metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
      expect(second.metrics[0]?.error).toMatchObject({ code: 'CHECK_FAILED', file: 'metrics/m.yaml' });
      expect(second.metrics[0]?.error?.message).toContain(expected);
      expect(await e.query('SELECT * FROM m ORDER BY order_id')).toEqual(before);
      const staging = await e.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '__duckmetrics_staging_%'");
      expect(staging).toEqual([]);
    });
  }

  it('reports warn checks without blocking, and --no-checks publishes anyway', async () => {
    const e = await start({
      'metrics/m.yaml': withChecks('m', 'SELECT * FROM orders', 'columns:\n  - name: status\n    checks:\n      - accepted_values: [placed]\n        severity: warn\n        name: only_placed\n'),
      'metrics/n.yaml': withChecks('n', 'SELECT * FROM orders', 'checks:\n  - row_count: { max: 1 }\n'),
    });
    const result = await e.run();
    const [m, n] = result.metrics;
    expect(m).toMatchObject({ name: 'm', status: 'success' });
    expect(m?.warnings[0]).toMatchObject({ severity: 'warning', code: 'CHECK_FAILED', line: 10 });
    expect(m?.warnings[0]?.message).toContain('only_placed failed: 3 rows');
    expect(n).toMatchObject({ status: 'failed' });
    const unchecked = await e.run({ checks: false });
    expect(unchecked.metrics.find((r) => r.name === 'n')).toMatchObject({ status: 'success', rows: 4 });
  });

  it('a failing check skips everything downstream', async () => {
    const e = await start({
      'metrics/base.yaml': withChecks('base', 'SELECT * FROM orders', 'checks:\n  - expression: "amount < 7"\n'),
      'metrics/child.yaml': metricYaml({ metric_name: 'child', sql: 'SELECT count(*) AS n FROM base' }),
    });
    const result = await e.run();
    expect(result.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([
      ['base', 'failed', 'check failed'],
      ['child', 'skipped', 'upstream failed: base'],
    ]);
  });

  it('validates checks: unknown columns and checks, with their lines', async () => {
    const e = await start({
      'metrics/m.yaml': withChecks('m', 'SELECT order_id, amount FROM orders', 'columns:\n  - name: amout\n    checks: [not_null]\n  - name: order_id\n    checks:\n      - not_nul\n      - unique: { severity: fatal }\nchecks:\n  - expression: "amount >>> 0"\n'),
    });
    const [m] = (await e.validate()).metrics;
    expect(m?.errors.map((d) => [d.code, d.line])).toEqual([
      ['CHECK_INVALID', 12],
      ['CHECK_INVALID', 13],
    ]);
    expect(m?.errors[0]?.message).toContain('did you mean "not_null"');
    await project!.write({ 'metrics/m.yaml': withChecks('m', 'SELECT order_id, amount FROM orders', 'columns:\n  - name: amout\n    checks: [not_null]\nchecks:\n  - expression: "amount >>> 0"\n') });
    const [again] = (await e.validate()).metrics;
    expect(again?.errors.map((d) => [d.code, d.line])).toEqual([
      ['CHECK_UNKNOWN_COLUMN', 9],
      ['CHECK_INVALID', 11],
    ]);
    expect(again?.errors[0]?.message).toContain('did you mean "amount"');
  });

  it('engine.test runs checks on current tables with samples', async () => {
    const e = await start({ 'metrics/m.yaml': withChecks('m', 'SELECT * FROM orders', 'columns:\n  - name: status\n    checks:\n      - accepted_values: [placed, shipped, completed, returned]\n') });
    await e.run();
    expect((await e.test()).ok).toBe(true);
    await project!.write({ 'metrics/m.yaml': withChecks('m', 'SELECT * FROM orders', 'columns:\n  - name: status\n    checks:\n      - accepted_values: [placed]\n      - not_null\n') });
    const result = await e.test();
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      expect.objectContaining({ metric: 'm', column: 'status', check: 'accepted_values(status)', severity: 'error', status: 'fail', failingRows: 3, line: 10 }),
      expect.objectContaining({ check: 'not_null(status)', status: 'pass', failingRows: 0 }),
    ]);
    expect(result.checks[0]?.sample).toHaveLength(3);
  });
});

describe('relationships', () => {
  it('fails only the non-NULL values that no parent row holds, a NULL in the parent matching nothing, and samples the child rows', async () => {
    const e = await start({
      'data/parents.csv': 'code,label\nA,first\n,empty\nB,second\n',
      'data/children.csv': 'id,code\n1,A\n2,\n3,Z\n4,B\n5,Y\n6,Z\n',
      'metrics/m.yaml': withChecks('m', 'SELECT id, code FROM children', 'columns:\n  - name: code\n    checks:\n      - relationships: { to: parents, field: code }\n'),
    });
    const run = await e.run();
    expect(run.metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
    expect(run.metrics[0]?.error?.message).toContain('3 rows');
    await e.run({ checks: false });
    const test = await e.test({ data: true });
    expect(test.checks[0]).toMatchObject({ status: 'fail', failingRows: 3 });
    const sample = (test.checks[0]?.sample ?? []) as Array<Record<string, unknown>>;
    expect(sample.map((r) => Object.keys(r))).toEqual([['id', 'code'], ['id', 'code'], ['id', 'code']]);
    expect(sample.map((r) => Number(r.id)).sort()).toEqual([3, 5, 6]);
  });
});

describe('errors point into the YAML file', () => {
  const header = 'metric_name: m\ndescription: d\nowner: o\nschedule: "0 6 * * *"\n';

  it('puts SQL errors from a block scalar on the right line and column', async () => {
    const e = await start({ 'metrics/m.yaml': `${header}sql: |\n  SELECT order_id,\n         amont\n  FROM orders\n` });
    const [d] = (await e.validate()).metrics[0]!.errors;
    expect(d).toMatchObject({ code: 'SQL_BINDER', line: 7, column: 10 });
    expect(d?.message).toContain('amont');
    expect(d?.frame).toMatch(/> 7 \|\s+amont\n\s+\|\s+\^/);
  });

  it('puts SQL errors from a double-quoted value on the right line and column', async () => {
    const e = await start({ 'metrics/m.yaml': `${header}sql: "SELECT order_id, amont FROM orders"\n` });
    expect((await e.validate()).metrics[0]!.errors[0]).toMatchObject({ code: 'SQL_BINDER', line: 5, column: 24 });
  });

  it('puts SQL errors from a single-quoted multi-line value on the right line', async () => {
    const e = await start({ 'metrics/m.yaml': `${header}sql: 'SELECT order_id\n  FROM ordrs'\n` });
    const [d] = (await e.validate()).metrics[0]!.errors;
    expect(d).toMatchObject({ code: 'TABLE_UNKNOWN', line: 6, column: 8 });
    expect(d?.message).toContain('did you mean "orders"');
  });

  it('puts a parser error from a plain value on the right line', async () => {
    const e = await start({ 'metrics/m.yaml': `${header}sql: SELECT order_id FORM orders\n` });
    expect((await e.validate()).metrics[0]!.errors[0]).toMatchObject({ code: 'SQL_PARSER', line: 5 });
  });

  it('names an unknown column with DuckDB\'s candidates and the columns it knows', async () => {
    const e = await start({ 'metrics/m.yaml': metricYaml({ metric_name: 'm', sql: 'SELECT o.stat FROM orders o' }) });
    const [d] = (await e.validate()).metrics[0]!.errors;
    expect(d?.message).toContain('stat');
    expect(d?.hint).toContain('status');
  });

  it('keeps YAML syntax errors and unknown keys on their lines', async () => {
    const e = await start({
      'metrics/a.yaml': `${header}sql: SELECT 1\ntags: [a, b\n`,
      'metrics/b.yaml': `${header}sql: SELECT 1\ndescripton: x\n`,
    });
    const [a, b] = (await e.validate()).metrics;
    expect(a?.errors[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 6 });
    expect(b?.warnings[0]).toMatchObject({ code: 'SCHEMA_UNKNOWN_KEY', line: 6, column: 1 });
  });
});

describe('checks counted in one scan', () => {
  it('attributes each count to its own check when several row filters share the scan', async () => {
    const e = await start({
      'metrics/orders_checked.yaml': withChecks('orders_checked', 'SELECT *, NULL::VARCHAR AS note FROM orders', [
        'columns:',
        '  - name: note',
        '    checks: [not_null]',
        '  - name: customer_id',
        '    checks: [not_null]',
        '  - name: status',
        '    checks:',
        '      - accepted_values: [placed, shipped]',
        '        severity: warn',
        '  - name: amount',
        '    checks:',
        '      - accepted_range: { min: 3, severity: warn }',
        'checks:',
        '  - row_count: { max: 3, severity: warn }',
        '  - row_count: { min: 1 }',
        '',
      ].join('\n')),
    });
    await e.run();
    const test = await e.test({ data: true });
    expect(test.checks.map((c) => [c.check, c.status, c.failingRows])).toEqual([
      ['not_null(note)', 'fail', 4],
      ['not_null(customer_id)', 'pass', 0],
      ['accepted_values(status)', 'fail', 2],
      ['accepted_range(amount)', 'fail', 1],
      ['row_count', 'fail', 1],
      ['row_count', 'pass', 0],
    ]);
    expect(test.checks[4]!.message).toMatch(/the table has 4 rows/);
  });

  it('settles unique in the shared scan when it passes, and counts the rows that share a value when it fails', async () => {
    // Repeated NULLs are not duplicates; a duplicate is counted as every row holding the value (3 here, not 2).
    const sql = "SELECT * FROM (VALUES (1, 'a', NULL), (2, 'b', NULL), (3, 'b', NULL), (4, 'b', 7), (5, NULL, 7), (6, NULL, 8)) t(id, code, other)";
    const e = await start({
      'metrics/shared.yaml': withChecks('shared', sql, 'columns:\n  - name: id\n    checks: [not_null, unique]\n  - name: code\n    checks: [unique]\n  - name: other\n    checks:\n      - unique: { severity: warn }\n'),
      'metrics/alone_pass.yaml': withChecks('alone_pass', sql, 'columns:\n  - name: id\n    checks: [unique]\n'),
      'metrics/alone_fail.yaml': withChecks('alone_fail', sql, 'columns:\n  - name: code\n    checks: [unique]\n'),
      'metrics/nulls_only.yaml': withChecks('nulls_only', 'SELECT NULL::INTEGER AS id FROM range(3)', 'columns:\n  - name: id\n    checks: [unique]\n'),
    });
    await e.run({ checks: false });
    const test = await e.test({ data: true });
    const byMetric = (name: string): Array<[string, string, number]> => test.checks.filter((c) => c.metric === name).map((c) => [c.check, c.status, c.failingRows]);
    expect(byMetric('shared')).toEqual([
      ['not_null(id)', 'pass', 0],
      ['unique(id)', 'pass', 0],
      ['unique(code)', 'fail', 3],
      ['unique(other)', 'fail', 2],
    ]);
    expect(byMetric('alone_pass')).toEqual([['unique(id)', 'pass', 0]]);
    expect(byMetric('alone_fail')).toEqual([['unique(code)', 'fail', 3]]);
    expect(byMetric('nulls_only')).toEqual([['unique(id)', 'pass', 0]]);
    expect(test.checks.find((c) => c.metric === 'alone_fail')!.message).toContain('3 rows share a value on column code');
  });

  it('when the shared scan fails, each check runs alone and only the bad one is an error', async () => {
    const e = await start({
      'metrics/orders_checked.yaml': withChecks('orders_checked', 'SELECT * FROM orders', 'columns:\n  - name: customer_id\n    checks:\n      - not_null\n      - accepted_range: { min: "soon" }\n'),
    });
    await e.run({ checks: false });
    const test = await e.test({ data: true });
    expect(test.checks.map((c) => [c.check, c.status])).toEqual([['not_null(customer_id)', 'pass'], ['accepted_range(customer_id)', 'error']]);
  });
});
