// engine.queryMetric: every query shape against hand-written SQL on a real DuckDB file; validate's semantic diagnostics; hostile --where.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Engine, QueryMetricOptions } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const SALES = `metric_name: sales
description: Orders with their value.
owner: test
schedule: "0 6 * * *"
time: ordered_at
dimensions: [state, status]
measures:
  revenue: sum(amount)
  orders: count(*)
  aov:
    expr: revenue / orders
    description: Average order value
sql: |
  SELECT ordered_at, state, status, amount FROM orders
`;

// Orders on 2024-01-01 … every 3 days, none in March 2024 (an empty period), two states, NULL status on some.
const source = definePlugin({
  name: 'src',
  loadSources: async (ctx) => {
    await ctx.db.run(`CREATE OR REPLACE TABLE orders AS
      SELECT TIMESTAMP '2024-01-01 10:00' + INTERVAL (range * 3) DAY AS ordered_at,
             CASE WHEN range % 3 = 0 THEN 'SP' ELSE 'RJ' END AS state,
             CASE WHEN range % 5 = 0 THEN NULL ELSE 'delivered' END AS status,
             (range % 7 + 1) * 2.5 AS amount
      FROM range(200) WHERE NOT (TIMESTAMP '2024-01-01 10:00' + INTERVAL (range * 3) DAY BETWEEN TIMESTAMP '2024-03-01' AND TIMESTAMP '2024-04-01')`);
    return [{ name: 'orders', rows: 200 }];
  },
});

let project: TempProject;
let engine: Engine;
beforeAll(async () => {
  project = await projectDir({ 'metrics/sales.yaml': SALES });
  engine = createEngine({ cwd: project.dir, config: { database: path.join(project.dir, 'q.duckdb'), plugins: [source] } });
  await engine.load();
  const run = await engine.run();
  expect(run.metrics.map((m) => [m.status, m.error ?? ""])).toEqual([["success", ""]]);
});
afterAll(async () => {
  await engine.close();
  await project.cleanup();
});

const dated = (rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : v])));
const expectSame = async (options: QueryMetricOptions, handWritten: string): Promise<void> => {
  const result = await engine.queryMetric(options);
  expect(result.ok).toBe(true);
  expect(result.rows).toEqual(dated(await engine.query(handWritten)));
};

describe('query shapes match hand-written SQL', () => {
  it('totals, and by dimensions (ordered by them, NULLs last)', async () => {
    await expectSame({ metric: 'sales' }, 'SELECT sum(amount) AS revenue, count(*) AS orders, sum(amount) / count(*) AS aov FROM sales');
    await expectSame({ metric: 'sales', measures: ['orders', 'revenue'], by: ['state', 'status'] }, 'SELECT state, status, count(*) AS orders, sum(amount) AS revenue FROM sales GROUP BY ALL ORDER BY state, status NULLS LAST');
  });

  it.each(['day', 'week', 'month', 'quarter', 'year'] as const)('grain %s: one row per period, empty periods with NULL measures', async (grain) => {
    const step = { day: "INTERVAL 1 DAY", week: "INTERVAL 7 DAY", month: "INTERVAL 1 MONTH", quarter: "INTERVAL 3 MONTH", year: "INTERVAL 1 YEAR" }[grain];
    await expectSame({ metric: 'sales', measures: ['revenue', 'aov'], grain }, `
      WITH f AS (SELECT date_trunc('${grain}', ordered_at)::DATE AS p, sum(amount) AS revenue, sum(amount) / count(*) AS aov FROM sales GROUP BY 1),
      s AS (SELECT range::DATE AS p FROM range((SELECT min(p) FROM f)::TIMESTAMP, ((SELECT max(p) FROM f) + ${step})::TIMESTAMP, ${step}))
      SELECT s.p AS ${grain}, revenue, aov FROM s LEFT JOIN f USING (p) ORDER BY s.p`);
  });

  it('the empty month is there, with NULL measures (count too)', async () => {
    const { rows, columns } = await engine.queryMetric({ metric: 'sales', measures: ['orders'], grain: 'month' });
    expect(columns[0]).toEqual({ name: 'month', type: 'DATE' });
    expect(rows.find((r) => r.month === '2024-03-01')).toEqual({ month: '2024-03-01', orders: null });
  });

  it('--from is inclusive and --to exclusive, on timestamps and dates; periods in the range without rows appear', async () => {
    await expectSame({ metric: 'sales', measures: ['orders'], grain: 'day', from: '2024-01-04 10:00', to: '2024-01-10 10:00' }, `
      WITH f AS (SELECT ordered_at::DATE AS p, count(*) AS orders FROM sales WHERE ordered_at >= TIMESTAMP '2024-01-04 10:00' AND ordered_at < TIMESTAMP '2024-01-10 10:00' GROUP BY 1)
      SELECT s.range::DATE AS day, orders FROM range(TIMESTAMP '2024-01-04', TIMESTAMP '2024-01-10 10:00', INTERVAL 1 DAY) s LEFT JOIN f ON f.p = s.range::DATE ORDER BY 1`);
    const edge = await engine.queryMetric({ metric: 'sales', measures: ['orders'], grain: 'day', from: '2024-01-04 10:00', to: '2024-01-10 10:00' });
    expect(edge.rows.map((r) => [r.day, r.orders])).toEqual([['2024-01-04', 1], ['2024-01-05', null], ['2024-01-06', null], ['2024-01-07', 1], ['2024-01-08', null], ['2024-01-09', null], ['2024-01-10', null]]);
    const months = await engine.queryMetric({ metric: 'sales', measures: ['orders'], grain: 'month', from: '2024-02-01', to: '2024-05-01' });
    expect(months.rows.map((r) => r.month)).toEqual(['2024-02-01', '2024-03-01', '2024-04-01']);
  });

  it('grain with dimensions: every period × combination, ordered by time then dimensions', async () => {
    await expectSame({ metric: 'sales', measures: ['revenue'], by: ['state'], grain: 'month', where: "status = 'delivered'" }, `
      WITH f AS (SELECT date_trunc('month', ordered_at)::DATE AS p, state, sum(amount) AS revenue FROM sales WHERE status = 'delivered' GROUP BY ALL),
      s AS (SELECT range::DATE AS p FROM range((SELECT min(p) FROM f)::TIMESTAMP, ((SELECT max(p) FROM f) + INTERVAL 1 MONTH)::TIMESTAMP, INTERVAL 1 MONTH)),
      g AS (SELECT * FROM s CROSS JOIN (SELECT DISTINCT state FROM f))
      SELECT g.p AS month, g.state, f.revenue FROM g LEFT JOIN f ON f.p = g.p AND f.state = g.state ORDER BY g.p, g.state`);
  });

  it.each([['previous_period', 'INTERVAL 1 MONTH'], ['previous_year', 'INTERVAL 1 YEAR']] as const)('--compare %s adds <measure>_previous and <measure>_change', async (compare, shift) => {
    await expectSame({ metric: 'sales', measures: ['revenue', 'aov'], grain: 'month', from: '2024-02-01', to: '2025-03-01', compare }, `
      WITH f AS (SELECT date_trunc('month', ordered_at)::DATE AS p, sum(amount) AS revenue, sum(amount) / count(*) AS aov FROM sales GROUP BY 1),
      s AS (SELECT range::DATE AS p FROM range(TIMESTAMP '2024-02-01', TIMESTAMP '2025-03-01', INTERVAL 1 MONTH))
      SELECT s.p AS month, c.revenue, c.aov, b.revenue AS revenue_previous, c.revenue - b.revenue AS revenue_change, b.aov AS aov_previous, c.aov - b.aov AS aov_change
      FROM s LEFT JOIN f c ON c.p = s.p LEFT JOIN f b ON b.p = (s.p - ${shift})::DATE ORDER BY s.p`);
  });

  it('shows the generated SQL, and a derived measure is inlined as DuckDB wrote it', async () => {
    const { sql } = await engine.queryMetric({ metric: 'sales', measures: ['aov'] });
    expect(sql).toContain('(sum(amount) / count_star()) AS "aov"');
  });
});

describe('bad options are QUERY_INVALID naming every problem', () => {
  it.each([
    [{ metric: 'sale' }, 'METRIC_NOT_FOUND', /no metric is named "sale"/, /did you mean "sales"/],
    [{ metric: 'sales', measures: ['revenu'] }, 'QUERY_INVALID', /no measure "revenu"/, /did you mean "revenue"/],
    [{ metric: 'sales', by: ['stat'] }, 'QUERY_INVALID', /no dimension "stat"/, /did you mean "state"/],
    [{ metric: 'sales', grain: 'hour' }, 'QUERY_INVALID', /--grain must be one of/, /.*/],
    [{ metric: 'sales', compare: 'previous_period' }, 'QUERY_INVALID', /--compare needs --grain/, /.*/],
    [{ metric: 'sales', from: 'someday' }, 'QUERY_INVALID', /--from must be a date/, /.*/],
    [{ metric: 'sales', from: '2024-02-01', to: '2024-01-01' }, 'QUERY_INVALID', /must be before --to/, /.*/],
  ])('%j', async (options, code, message, hint) => {
    await expect(engine.queryMetric(options as QueryMetricOptions)).rejects.toMatchObject({ code, message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
  });
});

describe('hostile --where', () => {
  it.each([
    ['a subquery', "state IN (SELECT state FROM orders)", /subquery/],
    ['a second statement', "true; DROP TABLE sales", /not an expression|one expression/],
    ['breaking out of parentheses', "state = 'SP') OR (true", /cannot parse/],
    ['an unclosed comment', "state = 'SP' /* ", /cannot parse|one expression/],
    ['a UNION', "true UNION SELECT 1", /one expression/],
    ['FROM another table', "true FROM orders", /one expression/],
    ['a function outside the allow-list', "read_csv('/etc/passwd') IS NULL", /read_csv/],
    ['a column that is not a dimension', 'amount > 1', /"amount" is not a dimension/],
    ['an aggregate', 'sum(amount) > 1', /aggregate/],
    ['not a boolean', 'state', /boolean/],
  ])('%s is refused', async (_, where, message) => {
    await expect(engine.queryMetric({ metric: 'sales', where })).rejects.toMatchObject({ code: expect.stringMatching(/QUERY_INVALID|SANDBOX/), message: expect.stringMatching(message) });
    expect(await engine.query('SELECT count(*) AS n FROM sales')).toEqual([{ n: expect.any(Number) }]);
  });

  it('a trailing comment is dropped by the parser and cannot change the query', async () => {
    const a = await engine.queryMetric({ metric: 'sales', where: "state = 'SP' -- OR true" });
    const b = await engine.queryMetric({ metric: 'sales', where: "state = 'SP'" });
    expect(a.rows).toEqual(b.rows);
    expect(a.sql).not.toContain('--');
  });
});

describe('validate checks the semantic model at its line, with did-you-mean', () => {
  const check = async (yaml: string): Promise<Array<{ code: string; line?: number; message: string; hint?: string }>> => {
    const p = await projectDir({ 'metrics/m.yaml': yaml });
    const e = createEngine({ cwd: p.dir, config: { database: ':memory:', plugins: [source] } });
    try {
      await e.load();
      return (await e.validate()).metrics.flatMap((m) => m.errors);
    } finally {
      await e.close();
      await p.cleanup();
    }
  };
  const base = 'metric_name: m\ndescription: d\nowner: o\nschedule: "0 6 * * *"\nsql: SELECT ordered_at, state, amount, amount::VARCHAR AS label FROM orders\n';
  it.each([
    ['unknown time column', 'time: ordered_a\n', 'TIME_INVALID', 6, /no column "ordered_a"/, /did you mean "ordered_at"/],
    ['time not a date or timestamp', 'time: label\n', 'TIME_INVALID', 6, /VARCHAR, not a DATE or TIMESTAMP/, /.*/],
    ['unknown dimension', 'dimensions: [stat]\n', 'DIMENSION_INVALID', 6, /no column "stat"/, /did you mean "state"/],
    ['unknown column in a measure', 'measures:\n  revenue: sum(amout)\n', 'MEASURE_INVALID', 7, /no column "amout"/, /did you mean "amount"/],
    ['a measure that is not an aggregate', 'measures:\n  revenue: amount + 1\n', 'MEASURE_INVALID', 7, /outside an aggregate/, /sum\(amount\)/],
    ['two expressions', 'measures:\n  revenue: sum(amount), count(*)\n', 'MEASURE_INVALID', 7, /one expression/, /.*/],
    ['a window', 'measures:\n  revenue: sum(amount) OVER ()\n', 'MEASURE_INVALID', 7, /window/, /.*/],
    ['a cycle', 'measures:\n  a: b + 1\n  b: a * 2\n', 'MEASURE_CYCLE', 7, /cycle: a → b → a/, /.*/],
    ['a sandbox-forbidden function', "measures:\n  n: count(*) + length(getvariable('x'))\n", 'SANDBOX', 7, /getvariable/, /.*/],
    ['a misspelt key in a measure', 'measures:\n  revenue:\n    exp: sum(amount)\n', 'MEASURE_INVALID', 8, /unknown key "exp" \(did you mean "expr"\?\)/, /.*/],
  ])('%s', async (_, extra, code, line, message, hint) => {
    const errors = await check(base + extra);
    expect(errors).toContainEqual(expect.objectContaining({ code, line, message: expect.stringMatching(message), hint: expect.stringMatching(hint) }));
  });

  it('a good model is valid', async () => {
    expect(await check(`${base}time: ordered_at\ndimensions: [state]\nmeasures:\n  revenue: sum(amount) FILTER (WHERE amount > 0)\n  n: count(*)\n  avg_amount: revenue / n\n`)).toEqual([]);
  });
});

describe('a period named like a column of the table', () => {
  it('groups by the period, not by the column that shares its name (order_values has a month column)', async () => {
    const own = await projectDir({ 'metrics/sales.yaml': SALES.replace('SELECT ordered_at, state, status, amount FROM orders', "SELECT ordered_at, state, status, amount, 'x' AS month, 1 AS year FROM orders") });
    const e = createEngine({ cwd: own.dir, config: { database: path.join(own.dir, 'q.duckdb'), plugins: [source] } });
    try {
      await e.load();
      await e.run();
      for (const grain of ['month', 'year'] as const) {
        const got = await e.queryMetric({ metric: 'sales', measures: ['orders'], grain });
        const want = await e.query(`SELECT date_trunc('${grain}', ordered_at)::DATE AS p, count(*) AS orders FROM sales GROUP BY 1 ORDER BY 1`);
        expect(got.rows.filter((r) => r.orders !== null)).toEqual(dated(want).map((r) => ({ [grain]: r.p, orders: r.orders })));
      }
    } finally {
      await e.close();
      await own.cleanup();
    }
  });
});
