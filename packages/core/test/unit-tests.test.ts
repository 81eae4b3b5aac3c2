// Unit tests of metric SQL (`tests:`): given rows in, expected rows out, each in an in-memory database of its own; run before
// every build, checked by validate, reported by `test` with a diff.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin, metricJsonSchema } from '@duckmetrics/core';
import type { Engine, UnitTestResult } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

/** Sources with more columns than any test lists, and types a test cannot guess from its values. */
const sources = definePlugin({
  name: 'shop',
  async loadSources(ctx) {
    await ctx.db.run(`
      CREATE OR REPLACE TABLE payments (id INTEGER, customer VARCHAR, amount DECIMAL(10,2), paid_on DATE, note VARCHAR);
      INSERT INTO payments VALUES (1, 'c1', 10.50, DATE '2024-01-02', 'x'), (2, 'c2', 3.25, DATE '2024-02-03', NULL);
      CREATE OR REPLACE TABLE events (id INTEGER, day DATE);
      INSERT INTO events VALUES (1, DATE '2024-03-01');`);
    return [{ name: 'payments', rows: 2 }, { name: 'events', rows: 1 }];
  },
});

const header = (name: string): string => `metric_name: ${name}\ndescription: test metric\nowner: tests\nschedule: "0 6 * * *"\n`;
const revenue = (tests: string, sql = 'SELECT customer, sum(amount) AS revenue, count(*) AS payments\n  FROM payments\n  GROUP BY customer'): string =>
  `${header('revenue')}sql: |\n  ${sql}\ntests:\n${tests}`;

async function open(files: Record<string, string>, load = true): Promise<Engine> {
  project = await projectDir(files);
  engine = createEngine({ cwd: project.dir, config: { plugins: [sources], threads: 1, timezone: 'UTC' } });
  if (load) await engine.load();
  return engine;
}
const unit = async (e: Engine): Promise<UnitTestResult[]> => (await e.test({ unit: true })).tests;

describe('unit tests: running them', () => {
  it('passes with partial columns: the others exist with their real types and are NULL', async () => {
    const e = await open({
      'metrics/shape.yaml': `${header('shape')}sql: |\n  SELECT id, typeof(amount) AS amount_type, typeof(paid_on) AS day_type, paid_on IS NULL AS no_day, note FROM payments\ntests:\n  - name: real types\n    given:\n      payments: [{ id: 7 }]\n    expect:\n      columns: all\n      rows: [{ id: 7, amount_type: "DECIMAL(10,2)", day_type: DATE, no_day: true, note: null }]\n`,
    });
    const [t] = await unit(e);
    expect(t).toMatchObject({ metric: 'shape', test: 'real types', status: 'pass', line: 8 });
  });

  it('fails with a diff of missing and unexpected rows, compared as a multiset by default', async () => {
    const e = await open({
      'metrics/revenue.yaml': revenue(`  - name: sums per customer
    given:
      payments:
        - { customer: c1, amount: 10 }
        - { customer: c1, amount: 2.5 }
        - { customer: c2, amount: 1 }
    expect:
      rows:
        - { customer: c2, revenue: 1 }
        - { customer: c1, revenue: 13 }
`),
    });
    const [t] = await unit(e);
    expect(t).toMatchObject({ status: 'fail', line: 10, columns: ['customer', 'revenue'] });
    expect(t!.diff).toEqual({ missing: [{ customer: 'c1', revenue: 13 }], unexpected: [{ customer: 'c1', revenue: 12.5 }] });
    expect(t!.message).toMatch(/1 expected row missing, 1 unexpected row/);
  });

  it('counts duplicates (a multiset), and order: exact compares row by row', async () => {
    const rows = `      payments:\n        - { id: 1, customer: a }\n        - { id: 2, customer: a }\n        - { id: 3, customer: b }\n`;
    const e = await open({
      'metrics/names.yaml': `${header('names')}sql: |\n  SELECT customer FROM payments ORDER BY id DESC\ntests:
  - name: two a and one b
    given:\n${rows}    expect:\n      rows: [{ customer: a }, { customer: b }, { customer: a }]
  - name: one a is not enough
    given:\n${rows}    expect:\n      rows: [{ customer: a }, { customer: b }]
  - name: in order
    given:\n${rows}    expect:\n      order: exact\n      rows: [{ customer: b }, { customer: a }, { customer: a }]
  - name: out of order
    given:\n${rows}    expect:\n      order: exact\n      rows: [{ customer: a }, { customer: a }, { customer: b }]
`,
    });
    const tests = await unit(e);
    expect(tests.map((t) => [t.test, t.status])).toEqual([['two a and one b', 'pass'], ['one a is not enough', 'fail'], ['in order', 'pass'], ['out of order', 'fail']]);
    expect(tests[1]!.diff).toEqual({ missing: [], unexpected: [{ customer: 'a' }] });
    expect(tests[3]!.diff).toEqual({ missing: [{ customer: 'a' }, { customer: 'b' }], unexpected: [{ customer: 'b' }, { customer: 'a' }] });
  });

  it('compares numbers within a relative tolerance (1e-9 by default, or the test’s own)', async () => {
    const test = (name: string, value: number, tolerance?: number): string =>
      `  - name: ${name}\n    given:\n      payments: [{ customer: c, amount: 0.1 }, { customer: c, amount: 0.2 }]\n    expect:\n${tolerance === undefined ? '' : `      tolerance: ${tolerance}\n`}      rows: [{ ratio: ${value} }]\n`;
    const e = await open({
      'metrics/ratio.yaml': `${header('ratio')}sql: |\n  SELECT sum(CAST(amount AS DOUBLE)) / 3 AS ratio FROM payments\ntests:\n${test('exact enough', 0.1)}${test('off by a lot', 0.11)}${test('within 10 percent', 0.105, 0.1)}`,
    });
    expect((await unit(e)).map((t) => t.status)).toEqual(['pass', 'fail', 'pass']);
  });

  it('says which input is missing; x: [] gives an empty table with the real columns', async () => {
    const e = await open({
      'metrics/joined.yaml': `${header('joined')}sql: |\n  SELECT p.id, count(e.id) AS events FROM payments p LEFT JOIN events e ON e.id = p.id GROUP BY p.id\ntests:
  - name: forgot events
    given:
      payments: [{ id: 1 }]
    expect: [{ id: 1, events: 0 }]
  - name: no events
    given:
      payments: [{ id: 1 }]
      events: []
    expect: [{ id: 1, events: 0 }]
`,
    });
    const [forgot, empty] = await unit(e);
    expect(forgot).toMatchObject({ status: 'error', line: 8 });
    expect(forgot!.message).toMatch(/does not give table "events", which the SQL reads.*events: \[\]/);
    expect(empty).toMatchObject({ status: 'pass' });
  });

  it('reads a fixture CSV next to the metric file, typed like the source', async () => {
    const e = await open({
      'metrics/finance/revenue.yaml': revenue(`  - name: from a file
    given:
      payments: { csv: fixtures/payments.csv }
    expect:
      rows: [{ customer: c1, revenue: 12.5, payments: 2 }, { customer: c2, revenue: 1, payments: 1 }]
`),
      'metrics/finance/fixtures/payments.csv': 'customer,amount\nc1,10\nc1,2.50\nc2,1\n',
    });
    expect(await unit(e)).toMatchObject([{ status: 'pass' }]);
  });

  it('a missing fixture, one outside the project, and a fixture column the table lacks are errors', async () => {
    const e = await open({
      'metrics/revenue.yaml': revenue(`  - name: missing file
    given: { payments: { csv: nope.csv } }
    expect: []
  - name: escapes
    given: { payments: { csv: ../../outside.csv } }
    expect: []
  - name: bad column
    given: { payments: { csv: bad.csv } }
    expect: []
`),
      'metrics/bad.csv': 'customer,amout\nc1,1\n',
    });
    const v = await e.validate();
    expect(v.metrics[0]!.errors.map((d) => [d.code, d.line])).toEqual([['TEST_INVALID', 14]]);
    expect(v.metrics[0]!.errors[0]!.message).toMatch(/outside the project/);
  });

  it('gives an upstream metric as rows: typed like its built table, or from the values when not built', async () => {
    const files = {
      'metrics/revenue.yaml': `${header('revenue')}sql: |\n  SELECT customer, sum(amount) AS revenue FROM payments GROUP BY customer\n`,
      'metrics/top.yaml': `${header('top')}sql: |\n  SELECT customer, typeof(revenue) AS t FROM revenue WHERE revenue > 5\ntests:\n  - name: big spenders\n    given:\n      revenue: [{ customer: a, revenue: 10 }, { customer: b, revenue: 1 }]\n    expect: [{ customer: a, t: T }]\n`,
    };
    const e = await open({ ...files, 'metrics/top.yaml': files['metrics/top.yaml'].replace('t: T', 't: INTEGER') });
    expect(await unit(e)).toMatchObject([{ status: 'pass' }]);
    await e.run({ tests: false });
    await project!.write({ 'metrics/top.yaml': files['metrics/top.yaml'].replace('t: T', 't: "DECIMAL(38,2)"') });
    expect(await unit(e)).toMatchObject([{ status: 'pass' }]);
  });

  it('now: fixes the clock for now(), current_date and friends, in the project time zone', async () => {
    const e = await open({
      'metrics/recent.yaml': `${header('recent')}sql: |\n  SELECT count(*) AS n, max(current_date) AS today, max(CAST(now() AS DATE)) AS also FROM events WHERE day > current_date - INTERVAL 7 DAY\ntests:
  - name: last week only
    now: 2024-03-10 12:00:00
    given:
      events: [{ id: 1, day: 2024-03-09 }, { id: 2, day: 2024-03-01 }, { id: 3, day: 2024-03-04 }]
    expect: [{ n: 2, today: 2024-03-10, also: 2024-03-10 }]
  - name: a month later nothing is recent
    now: "2024-04-10T00:00:00Z"
    given:
      events: [{ id: 1, day: 2024-03-09 }]
    expect: [{ n: 0 }]
  - name: bad clock
    now: next tuesday
    given:
      events: []
    expect: []
`,
    });
    const tests = await unit(e);
    expect(tests.map((t) => t.status)).toEqual(['pass', 'pass', 'error']);
    expect(tests[2]!.message).toMatch(/now: "next tuesday" is not a timestamp/);
  });

  it('refuses a fraction for a whole-number column instead of rounding it, and a value of the wrong type', async () => {
    const e = await open({
      'metrics/revenue.yaml': revenue(`  - name: fraction
    given: { payments: [{ customer: c, amount: 1 }] }
    expect: [{ customer: c, payments: 1.5 }]
  - name: not a date
    given: { payments: [{ customer: c, paid_on: someday }] }
    expect: []
`),
    });
    const [fraction, date] = await unit(e);
    expect(fraction).toMatchObject({ status: 'error' });
    expect(fraction!.message).toMatch(/payments is BIGINT, a whole number, but the test writes 1\.5/);
    expect(date).toMatchObject({ status: 'error' });
    expect(date!.message).toMatch(/given payments: .*someday/);
  });

  it('NULL is compared as a value: only NULL equals NULL', async () => {
    const e = await open({
      'metrics/notes.yaml': `${header('notes')}sql: |\n  SELECT id, note FROM payments\ntests:\n  - name: nulls\n    given:\n      payments: [{ id: 1 }, { id: 2, note: "" }]\n    expect: [{ id: 1, note: null }, { id: 2, note: "" }]\n  - name: empty is not null\n    given:\n      payments: [{ id: 1 }]\n    expect: [{ id: 1, note: "" }]\n`,
    });
    expect((await unit(e)).map((t) => t.status)).toEqual(['pass', 'fail']);
  });

  it('never touches the project database: sources and built tables stay as they were', async () => {
    const e = await open({ 'metrics/revenue.yaml': revenue('  - name: t\n    given: { payments: [{ customer: z, amount: 99 }] }\n    expect: [{ customer: z, revenue: 99 }]\n') });
    expect((await e.run()).ok).toBe(true);
    const before = await e.query('SELECT * FROM payments ORDER BY id');
    expect(await unit(e)).toMatchObject([{ status: 'pass' }]);
    expect(await e.query('SELECT * FROM payments ORDER BY id')).toEqual(before);
    expect(await e.query('SELECT customer FROM revenue ORDER BY 1')).toEqual([{ customer: 'c1' }, { customer: 'c2' }]);
  });
});

describe('unit tests: before every build', () => {
  const good = '  - name: sums\n    given: { payments: [{ customer: a, amount: 2 }, { customer: a, amount: 3 }] }\n    expect: [{ customer: a, revenue: 5 }]\n';
  const downstream = { 'metrics/top.yaml': `${header('top')}sql: |\n  SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1\n` };

  it('a failing unit test fails the metric, keeps its previous table and skips its downstream', async () => {
    const e = await open({ 'metrics/revenue.yaml': revenue(good), ...downstream });
    expect((await e.run()).ok).toBe(true);
    const published = await e.query('SELECT * FROM revenue ORDER BY customer');
    await project!.write({ 'metrics/revenue.yaml': revenue(good, 'SELECT customer, sum(amount) * 2 AS revenue, count(*) AS payments\n  FROM payments\n  GROUP BY customer') });
    const run = await e.run();
    const byName = Object.fromEntries(run.metrics.map((m) => [m.name, m]));
    expect(byName.revenue).toMatchObject({ status: 'failed', reason: 'unit test failed' });
    expect(byName.revenue!.error).toMatchObject({ code: 'UNIT_TEST_FAILED', file: 'metrics/revenue.yaml', line: 10 });
    expect(byName.revenue!.error!.message).toMatch(/unit test "sums" failed[\s\S]*- a\s+5\n\s+\+ a\s+10/);
    expect(byName.top).toMatchObject({ status: 'skipped', reason: 'upstream failed: revenue' });
    expect(await e.query('SELECT * FROM revenue ORDER BY customer')).toEqual(published);
  });

  // The tests run beside the build's own statements: whatever else fails with them, a failing test is the reason,
  // nothing is published or quarantined, and the previous table (or none) stays.
  const doubled = 'SELECT customer, sum(amount) * 2 AS revenue, count(*) AS payments\n  FROM payments\n  GROUP BY customer';
  const beside: Array<[string, string, string]> = [
    ['a failing check', revenue(good, doubled) + 'checks:\n  - expression: "revenue < 0"\n', ''],
    ['a passing check', revenue(good, doubled) + 'checks:\n  - row_count: { min: 1 }\n', ''],
    ['a runtime error', revenue(good, "SELECT customer, sum(amount) * CAST(max(note) AS INTEGER) AS revenue, count(*) AS payments\n  FROM payments\n  GROUP BY customer"), ''],
    ['a snapshot', revenue(good, doubled) + 'snapshot:\n  key: [customer]\n', ''],
    ['no checks', revenue(good, doubled), ''],
  ];
  for (const [what, yaml] of beside) {
    for (const first of [true, false]) {
      it(`a failing unit test beside ${what} (${first ? 'first build' : 'rebuild'}): unit test failed, nothing published`, async () => {
        const e = await open({ 'metrics/revenue.yaml': first ? yaml : revenue(good), ...downstream });
        if (!first) expect((await e.run()).ok).toBe(true);
        const tables = "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() WHERE schema_name <> '_duckmetrics' ORDER BY 1";
        const before = { tables: await e.query(tables), rows: first ? [] : await e.query('SELECT * FROM revenue ORDER BY customer') };
        if (!first) await project!.write({ 'metrics/revenue.yaml': yaml });
        const run = await e.run();
        const byName = Object.fromEntries(run.metrics.map((m) => [m.name, m]));
        expect(byName.revenue, what).toMatchObject({ status: 'failed', reason: 'unit test failed', error: { code: 'UNIT_TEST_FAILED', file: 'metrics/revenue.yaml' } });
        expect(byName.top).toMatchObject({ status: 'skipped', reason: 'upstream failed: revenue' });
        expect(await e.query(tables)).toEqual(before.tables);
        if (!first) expect(await e.query('SELECT * FROM revenue ORDER BY customer')).toEqual(before.rows);
      });
    }
  }

  it('a plugin that materializes is not called while a unit test fails; it is once they pass', async () => {
    const calls: string[] = [];
    const materializer = definePlugin({
      name: 'materializer',
      async materialize(metric, ctx) {
        calls.push(metric.name);
        await ctx.db.run(`CREATE OR REPLACE TABLE ${metric.name} AS ${metric.sql}`);
        return { rows: 1 };
      },
    });
    project = await projectDir({ 'metrics/revenue.yaml': revenue(good.replace('revenue: 5', 'revenue: 6')) });
    engine = createEngine({ cwd: project.dir, config: { plugins: [sources, materializer], threads: 1, timezone: 'UTC' } });
    await engine.load();
    expect((await engine.run()).metrics[0]).toMatchObject({ status: 'failed', reason: 'unit test failed' });
    expect(calls).toEqual([]);
    await project.write({ 'metrics/revenue.yaml': revenue(good) });
    expect((await engine.run()).metrics[0]).toMatchObject({ status: 'success' });
    expect(calls).toEqual(['revenue']);
  });

  it('tests: false (--no-tests) builds without them', async () => {
    const e = await open({ 'metrics/revenue.yaml': revenue(good.replace('revenue: 5', 'revenue: 6')) });
    expect((await e.run()).metrics[0]).toMatchObject({ status: 'failed', reason: 'unit test failed' });
    expect((await e.run({ tests: false })).metrics[0]).toMatchObject({ status: 'success', rows: 2 });
  });

  it('test() runs unit tests and data checks; unit / data choose', async () => {
    const e = await open({ 'metrics/revenue.yaml': `${revenue(good)}checks:\n  - row_count: { min: 1 }\n` });
    await e.run();
    const both = await e.test();
    expect([both.ok, both.tests.length, both.checks.length]).toEqual([true, 1, 1]);
    const u = await e.test({ unit: true });
    expect([u.tests.length, u.checks.length]).toEqual([1, 0]);
    const d = await e.test({ data: true });
    expect([d.tests.length, d.checks.length]).toEqual([0, 1]);
  });
});

describe('unit tests: validate checks their definitions at the right line', () => {
  const diagnostics = async (tests: string, sql?: string): Promise<Array<[string, number | undefined, string]>> => {
    const e = await open({ 'metrics/revenue.yaml': revenue(tests, sql) });
    return (await e.validate()).metrics[0]!.errors.map((d) => [d.code, d.line, d.message]);
  };

  it('an input table the SQL does not read, with a did-you-mean', async () => {
    expect(await diagnostics('  - name: t\n    given:\n      paymnets: [{ customer: a }]\n    expect: []\n')).toEqual([
      ['TEST_INPUT_UNKNOWN', 12, 'test "t" gives table "paymnets", which the SQL does not read (did you mean "payments"?)'],
      ['TEST_INPUT_MISSING', 10, 'test "t" does not give table "payments", which the SQL reads'],
    ]);
  });

  it('columns the input table or the result does not have, with did-you-mean against the real columns', async () => {
    expect(await diagnostics('  - name: t\n    given:\n      payments:\n        - { customer: a, amout: 1 }\n    expect:\n      rows:\n        - { custmer: a, revenue: 1 }\n')).toEqual([
      ['TEST_COLUMN_UNKNOWN', 13, 'test "t": table payments has no column "amout" (did you mean "amount"?)'],
      ['TEST_COLUMN_UNKNOWN', 16, 'test "t" expects column "custmer", which the metric does not return (did you mean "customer"?)'],
    ]);
  });

  it('columns: all with columns left out', async () => {
    const found = await diagnostics('  - name: t\n    given: { payments: [] }\n    expect:\n      columns: all\n      rows: [{ customer: a }]\n');
    expect(found).toEqual([['TEST_COLUMN_UNKNOWN', 13, 'test "t" has columns: all, but its expected rows leave out revenue, payments']]);
  });

  it('bad shapes: unknown keys with did-you-mean, missing parts, duplicate names, rows that are not maps', async () => {
    const found = await diagnostics(`  - name: a
    given: { payments: [] }
    expcet: []
  - given: { payments: [] }
    expect: []
  - name: a
    given: [payments]
    expect: { rows: [], order: sorted }
  - name: c
    given: { payments: [1] }
    expect: { row: [] }
  - just a string
`);
    expect(found.map(([code, line, message]) => [code, line, message.replace(/ \(.*$/, '')])).toEqual([
      ['TEST_INVALID', 12, 'unknown key "expcet" in a unit test'],
      ['TEST_INVALID', 10, 'a unit test needs expect: the rows the SQL must return, e.g. expect: { rows: [{ customer_id: c1, revenue: 12 }] }'],
      ['TEST_INVALID', 13, 'a unit test needs a name'],
      ['TEST_INVALID', 15, 'two unit tests are named "a"'],
      ['TEST_INVALID', 16, 'given must map each input table to its rows, e.g. given: { orders: [{ order_id: o1 }] }'],
      ['TEST_INVALID', 17, 'order must be any'],
      ['TEST_INVALID', 19, 'payments: row 1 must be a map of column: value, e.g. { order_id: o1, price: 10 }'],
      ['TEST_INVALID', 20, 'unknown key "row" in expect'],
      ['TEST_INVALID', 20, 'expect needs rows: the rows the SQL must return'],
      ['TEST_INVALID', 21, 'a unit test must be a map with name, given and expect'],
    ]);
    expect(found[0]![2]).toMatch(/did you mean "expect"/);
  });

  it('tests: that is not a list is a schema error at its line', async () => {
    const e = await open({ 'metrics/revenue.yaml': `${header('revenue')}sql: SELECT 1 AS x\ntests: { name: t }\n` });
    const [error] = (await e.validate()).metrics[0]!.errors;
    expect(error).toMatchObject({ line: 6 });
    expect(error!.message).toMatch(/tests must be a list of unit tests/);
  });

  it('the JSON Schema for editors covers tests', async () => {
    const schema = await metricJsonSchema();
    const tests = (schema.properties as Record<string, { items: { required: string[]; properties: Record<string, unknown> } }>).tests!;
    expect(tests.items.required).toEqual(['name', 'given', 'expect']);
    expect(Object.keys(tests.items.properties)).toEqual(['name', 'now', 'given', 'expect']);
  });
});

describe('unit tests: one locked-down host, a catalog per test', () => {
  const shown = `${header('shown')}sql: |\n  SELECT CAST(TIMESTAMPTZ '2024-01-01 00:00:00+00' AS VARCHAR) AS shown, count(*) AS n FROM events\ntests:\n  - name: in the project time zone\n    given:\n      events: [{ id: 1 }]\n    expect: [{ shown: "SHOWN", n: 1 }]\n`;

  it('shows times in each project time zone, engines of different zones taking turns in one process', async () => {
    const zones: Array<[string, string]> = [['America/Sao_Paulo', '2023-12-31 21:00:00-03'], ['Asia/Tokyo', '2024-01-01 09:00:00+09'], ['UTC', '2024-01-01 00:00:00+00'], ['America/Sao_Paulo', '2023-12-31 21:00:00-03']];
    for (const [timezone, expected] of zones) {
      project = await projectDir({ 'metrics/shown.yaml': shown.replace('SHOWN', expected) });
      engine = createEngine({ cwd: project.dir, config: { plugins: [sources], threads: 1, timezone } });
      await engine.load();
      const [t] = await unit(engine);
      expect(t, timezone).toMatchObject({ status: 'pass' });
      await engine.close();
      await project.cleanup();
      engine = project = undefined;
    }
  });

  it('keeps the given tables of tests that run at once apart, and later tests unharmed by failed ones', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) {
      const rows = Array.from({ length: i }, (_, k) => `{ customer: c${k}, amount: ${i} }`).join(', ');
      files[`metrics/m${i}.yaml`] = `${header(`m${i}`)}sql: |\n  SELECT count(*) AS n, sum(amount) AS total, count(DISTINCT customer) AS people FROM payments\ntests:
  - name: its own rows
    given: { payments: [${rows}] }
    expect: [{ n: ${i}, total: ${i * i}, people: ${i} }]
  - name: a cast that fails
    given: { payments: [{ customer: c, amount: 1, note: "not a number" }] }
    expect: [{ n: 1 }]
  - name: its own rows again
    given: { payments: [${rows}] }
    expect: [{ n: ${i}, total: ${i * i}, people: ${i} }]
`.replace('count(DISTINCT customer) AS people FROM payments', 'count(DISTINCT customer) AS people, max(CASE WHEN note IS NOT NULL THEN CAST(note AS INTEGER) END) AS bad FROM payments');
    }
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir, config: { plugins: [sources], threads: 4, timezone: 'UTC' } });
    await engine.load();
    const run = await engine.run();
    // Every metric's second test fails on its own SQL, so nothing is published; each run of a test saw only its rows.
    expect(run.metrics.map((m) => m.reason)).toEqual(Array(8).fill('unit test failed'));
    for (const m of run.metrics) {
      expect(m.errors, `${m.name}`).toHaveLength(1);
      expect(m.errors[0]!.message, `${m.name}`).toMatch(/a cast that fails/);
    }
    const tests = await unit(engine);
    expect(tests.map((t) => `${t.metric}:${t.status}`)).toEqual(Array.from({ length: 8 }, (_, k) => [`m${k + 1}:pass`, `m${k + 1}:error`, `m${k + 1}:pass`]).flat());
  });
});
