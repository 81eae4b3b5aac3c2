// engine.run({ signal }): aborting interrupts the running statement; the run still resolves with a result.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryEngine, metricYaml } from '@duckmetrics/core/testing';
import type { TestEngine } from '@duckmetrics/core/testing';

let kit: TestEngine | undefined;
afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

describe('cancelling a run', () => {
  it('interrupts the running statement, keeps the previous table, and reports cancelled metrics', async () => {
    kit = await memoryEngine({
      plugins: [],
      files: {
        'metrics/a_slow.yaml': metricYaml({ metric_name: 'a_slow', sql: 'SELECT 1 AS n' }),
        'metrics/b_after.yaml': metricYaml({ metric_name: 'b_after', sql: 'SELECT n FROM a_slow' }),
        'metrics/c_other.yaml': metricYaml({ metric_name: 'c_other', sql: 'SELECT 1 AS x' }),
      },
    });
    expect((await kit.engine.run()).ok).toBe(true);
    // minutes of work: only an interrupt ends it in time
    await kit.project.write({ 'metrics/a_slow.yaml': metricYaml({ metric_name: 'a_slow', sql: 'SELECT count(*) AS n FROM range(50000000000) t(x) WHERE x % 7 = 3' }) });
    const controller = new AbortController();
    kit.engine.on('metric:start', ({ name }) => {
      if (name === 'a_slow') setTimeout(() => controller.abort(), 200);
    });
    const started = Date.now();
    const result = await kit.engine.run({ signal: controller.signal, threads: 1, fullRefresh: true });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.ok).toBe(false);
    expect(result.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([
      ['a_slow', 'failed', 'cancelled'],
      ['b_after', 'skipped', 'upstream failed: a_slow'],
      ['c_other', 'skipped', 'cancelled'],
    ]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(await kit.engine.query('SELECT n FROM a_slow')).toEqual([{ n: 1 }]);
  });
});
