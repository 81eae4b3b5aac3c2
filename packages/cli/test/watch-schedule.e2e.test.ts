import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';
import { jsonLines, killAllCli, spawnCli } from './spawn-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await killAllCli();
  await project?.cleanup();
  project = undefined;
});

type Json = Record<string, any>;
const files = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'data/customers.csv': 'customer_id,name\n10,ana\n11,ben\n',
  'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
  'metrics/top.yaml': metricYaml({ metric_name: 'top', sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
  'metrics/names.yaml': metricYaml({ metric_name: 'names', sql: 'SELECT name FROM customers' }),
};
const built = (cycle: Json): string[] => cycle.run.metrics.filter((m: Json) => m.status === 'success').map((m: Json) => m.name);
const cycles = (stdout: string): Json[] => jsonLines<Json>(stdout).filter((l) => l.event === 'cycle');

describe('duckmetrics dev', () => {
  it('rebuilds exactly the changed metric and what depends on it, reloads changed data, and stops on SIGINT', async () => {
    project = await projectDir(files);
    const dev = spawnCli(['dev', '--json'], project.dir);
    await dev.waitFor((out) => out.includes('"event":"watching"'));
    const [first] = cycles(dev.stdout());
    expect(first!.changed).toEqual([]);
    expect(first!.load.sources.map((s: Json) => [s.name, s.status])).toEqual([['customers', 'loaded'], ['orders', 'loaded']]);
    expect(built(first!)).toEqual(['names', 'revenue', 'top']);

    // A metric file: that metric and its downstream; no reload of sources.
    await project.write({ 'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) * 2 AS revenue FROM orders GROUP BY ALL' }) });
    await dev.waitFor((out) => cycles(out).length >= 2);
    const second = cycles(dev.stdout())[1]!;
    expect(second.changed).toEqual([{ file: 'metrics/revenue.yaml', kind: 'metric' }]);
    expect(second.load).toBeNull();
    expect(built(second)).toEqual(['revenue', 'top']);
    expect(second.run.metrics.find((m: Json) => m.name === 'names')).toMatchObject({ status: 'skipped', reason: 'up to date' });

    // A data file: sources are loaded again (only the changed one) and only its downstream is rebuilt.
    await project.write({ 'data/customers.csv': 'customer_id,name\n10,ana\n11,ben\n12,cy\n' });
    await dev.waitFor((out) => cycles(out).length >= 3);
    const third = cycles(dev.stdout())[2]!;
    expect(third.changed).toEqual([{ file: 'data/customers.csv', kind: 'data' }]);
    expect(third.load.sources.map((s: Json) => [s.name, s.status])).toEqual([['customers', 'loaded'], ['orders', 'unchanged']]);
    expect(built(third)).toEqual(['names']);

    // A broken metric: its diagnostics, and the watch goes on.
    await project.write({ 'metrics/names.yaml': metricYaml({ metric_name: 'names', sql: 'SELECT nme FROM customers' }) });
    await dev.waitFor((out) => cycles(out).length >= 4);
    const fourth = cycles(dev.stdout())[3]!;
    expect(fourth.run.metrics.find((m: Json) => m.name === 'names')).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'SQL_BINDER', file: 'metrics/names.yaml', line: 6 } });

    expect(await dev.stop('SIGINT')).toBe(130);
    // The database is not held between cycles, nor after: another command can use it.
    expect((await runCli(['history', '--json'], project.dir)).code).toBe(0);
  });

  it('run --watch prints plain lines for each change and stops on SIGTERM', async () => {
    project = await projectDir(files);
    const dev = spawnCli(['run', '--watch'], project.dir);
    await dev.waitFor((out) => out.includes('watching this project for changes'));
    expect(dev.stdout()).toMatch(/✓ revenue\s+2 rows/);
    await project.write({ 'metrics/top.yaml': metricYaml({ metric_name: 'top', sql: 'SELECT * FROM revenue ORDER BY revenue LIMIT 1' }) });
    const out = await dev.waitFor((o) => /changed: metrics\/top\.yaml[\s\S]*Done in/.test(o));
    const cycle = out.slice(out.indexOf('changed: metrics/top.yaml'));
    expect(cycle).toMatch(/✓ top\s+1 row/);
    expect(cycle).not.toMatch(/✓ (revenue|names)/);
    expect(cycle).toContain('1 built, 0 failed, 2 skipped (2 up to date)');
    expect(await dev.stop('SIGTERM')).toBe(143);
    expect(dev.stdout()).toContain('stopped watching');
  });
});

describe('duckmetrics schedule', () => {
  it('runs the due metrics on time (fake clock), logs each run, and stops cleanly on SIGTERM', async () => {
    project = await projectDir({
      ...files,
      'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', schedule: '0 6 * * *', sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
      'metrics/top.yaml': metricYaml({ metric_name: 'top', schedule: '0 7 * * *', sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
      'metrics/names.yaml': metricYaml({ metric_name: 'names', schedule: '0 8 * * *', sql: 'SELECT name FROM customers' }),
    });
    await runCli(['setup'], project.dir);
    expect((await runCli(['run'], project.dir, { DUCKMETRICS_NOW: '2026-03-01T05:00:00Z' })).code).toBe(0);
    // The clock starts 2 s before 06:00 and runs: revenue comes due.
    const scheduler = spawnCli(['schedule', '--json'], project.dir, { DUCKMETRICS_NOW: '2026-03-01T05:59:58Z' });
    await scheduler.waitFor((out) => jsonLines<Json>(out).some((e) => e.event === 'next' && e.metrics.includes('top')));
    const events = jsonLines<Json>(scheduler.stdout());
    expect(events[0]).toMatchObject({ event: 'start', timezone: 'UTC', metrics: 3 });
    const runs = events.filter((e) => e.event === 'run');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.due).toEqual(['revenue']);
    expect(runs[0]!.at >= '2026-03-01T06:00:00Z').toBe(true);
    expect(runs[0]!.run.metrics.map((m: Json) => [m.name, m.status])).toEqual([['names', 'skipped'], ['revenue', 'success'], ['top', 'skipped']]);
    expect(events.at(-1)).toMatchObject({ event: 'next', metrics: ['top'] });

    expect(await scheduler.stop('SIGTERM')).toBe(143);
    expect(jsonLines<Json>(scheduler.stdout()).at(-1)).toMatchObject({ event: 'stop', signal: 'SIGTERM' });
    const history = JSON.parse((await runCli(['history', 'revenue', '--json'], project.dir)).stdout) as { entries: Json[] };
    expect(history.entries.map((e) => e.status)).toEqual(['success', 'success']);
  });

  it('logs plain lines and stops on SIGINT while idle', async () => {
    project = await projectDir(files);
    await runCli(['setup'], project.dir);
    const scheduler = spawnCli(['schedule'], project.dir, { DUCKMETRICS_NOW: '2026-03-01T05:00:00Z' });
    await scheduler.waitFor((out) => /next: .* at 2026-03-01 06:00 UTC/.test(out));
    expect(scheduler.stdout()).toMatch(/\[2026-03-01T05:\d\d:\d\dZ\] scheduling 3 metrics, schedules in UTC/);
    expect(scheduler.stdout()).toMatch(/running 3 due metrics: names, revenue, top/);
    expect(scheduler.stdout()).toMatch(/Done in .*: 3 built, 0 failed, 0 skipped/);
    expect(await scheduler.stop('SIGINT')).toBe(130);
    expect(scheduler.stdout()).toMatch(/stopped \(SIGINT\)/);
  });
});
