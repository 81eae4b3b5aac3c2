// Results, diagnostics and event payloads are plain data: JSON.stringify never throws on them (no BigInt) and a
// JSON round trip gives the same value back (no Date, Map, class instance or non-finite number). Query rows follow
// the documented BIGINT rule (docs/api.md#values-bigint-and-serialisation).
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEventName } from '@duckmetrics/core';
import { memoryEngine, metricYaml } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';

const EVENTS: EngineEventName[] = [
  'load:start', 'source:loaded', 'load:end', 'validate:start', 'validate:end', 'run:start',
  'metric:start', 'metric:end', 'run:end', 'test:end', 'clean:start', 'clean:end',
];

/** Paths inside `value` that JSON would not carry over unchanged. */
function nonPlainPaths(value: unknown, at = '$'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${at}: ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonPlainPaths(v, `${at}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : nonPlainPaths(v, `${at}.${k}`)));
  }
  return [`${at}: ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`];
}

function expectPlain(label: string, value: unknown): void {
  expect({ label, paths: nonPlainPaths(value) }).toEqual({ label, paths: [] });
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

describe('plain serialisable results', () => {
  it('load, validate, run, test, catalog, history and clean results and every event payload survive a JSON round trip', async () => {
    const orders = ['order_id,customer_id,amount', ...Array.from({ length: 50 }, (_, i) => `${i},${i % 7},${(i * 1.25).toFixed(2)}`)].join('\n');
    kit = await memoryEngine({
      'data/orders.csv': `${orders}\n`,
      // count(*) is BIGINT, sum of BIGINT is HUGEINT: both must reach results as numbers
      'metrics/counts.yaml': metricYaml({ metric_name: 'counts', sql: 'SELECT customer_id, count(*) AS orders, sum(order_id) AS id_sum\nFROM orders\nGROUP BY ALL' }),
      'metrics/huge.yaml': metricYaml({ metric_name: 'huge', sql: 'SELECT 170141183460469231731687303715884105727::HUGEINT AS h, 9007199254740993::BIGINT AS b' }),
      'metrics/broken.yaml': metricYaml({ metric_name: 'broken', sql: "SELECT CAST('x' || amount AS INTEGER) AS amount FROM orders" }),
      'metrics/invalid.yaml': metricYaml({ metric_name: 'invalid', sql: 'SELECT amout FROM orders' }),
    });
    const events: Array<{ event: string; payload: unknown }> = [];
    for (const event of EVENTS) kit.engine.on(event, (payload) => events.push({ event, payload }));

    const loaded = await kit.engine.load();
    const validated = await kit.engine.validate();
    const run = await kit.engine.run();
    const history = await kit.engine.history();
    const catalog = await kit.engine.catalog();
    const tested = await kit.engine.test();
    const cleaned = await kit.engine.clean();

    expect(loaded.sources).toMatchObject([{ name: 'orders', rows: 50 }]);
    expect(run.metrics.map((m) => [m.name, m.status])).toEqual(expect.arrayContaining([['counts', 'success'], ['huge', 'success'], ['broken', 'failed'], ['invalid', 'failed']]));
    expect(run.metrics.find((m) => m.name === 'counts')?.rows).toBe(7);
    expect(run.metrics.find((m) => m.name === 'broken')?.error).toMatchObject({ code: 'SQL_CONVERSION', frame: expect.any(String) });
    expect(validated.metrics.find((m) => m.name === 'invalid')?.errors[0]).toMatchObject({ code: 'SQL_BINDER', line: 6 });

    expectPlain('load', loaded);
    expectPlain('validate', validated);
    expectPlain('run', run);
    expectPlain('clean', cleaned);
    expect(history.length).toBeGreaterThan(0);
    expectPlain('history', history);
    expectPlain('catalog', catalog);
    expectPlain('test', tested);
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['load:start', 'source:loaded', 'load:end', 'validate:start', 'validate:end', 'run:start', 'metric:start', 'metric:end', 'run:end', 'test:end', 'clean:start', 'clean:end']));
    for (const { event, payload } of events) expectPlain(event, payload);
  });

  it('query rows: integers are numbers when safe, else decimal strings; never BigInt', async () => {
    kit = await memoryEngine({ plugins: [] });
    const [row] = await kit.engine.query(`SELECT
      count(*) AS count_star, 42::BIGINT AS bigint_small, -9007199254740991::BIGINT AS bigint_min_safe,
      9007199254740993::BIGINT AS bigint_unsafe, 42::HUGEINT AS hugeint_small,
      170141183460469231731687303715884105727::HUGEINT AS hugeint_max, 18446744073709551615::UBIGINT AS ubigint_max,
      [1, 9007199254740993]::BIGINT[] AS list, {'n': 2::BIGINT} AS struct
      FROM range(3)`);
    expect(row).toEqual({
      count_star: 3,
      bigint_small: 42,
      bigint_min_safe: -9007199254740991,
      bigint_unsafe: '9007199254740993',
      hugeint_small: 42,
      hugeint_max: '170141183460469231731687303715884105727',
      ubigint_max: '18446744073709551615',
      list: [1, '9007199254740993'],
      struct: { n: 2 },
    });
    expectPlain('row', row);
  });
});
