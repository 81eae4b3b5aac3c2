// The project cache: an unchanged metric file is neither read as YAML nor validated again, and anything that decides
// its validation (its bytes, the shape of what it reads, an upstream metric, the config, a plugin's code) makes it
// validate anew.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  await project?.cleanup();
  project = undefined;
});

declare global {
  // eslint-disable-next-line no-var
  var __validated: string[] | undefined;
}

/** A config whose validator records each metric it sees (the cache only works for configs from a file). */
const config = (note = 'a'): string => `import { csv } from '${import.meta.resolve('@duckmetrics/plugin-csv')}';
import { validateSql } from '${import.meta.resolve('@duckmetrics/plugin-validate-sql')}';
const record = {
  name: 'record',
  validate(metric) {
    (globalThis.__validated ??= []).push(metric.name);
    return metric.owner === 'nobody' ? [{ severity: 'warning', code: 'OWNER_UNKNOWN', message: 'owner ${note}' }] : [];
  },
};
export default { plugins: [csv(), validateSql(), record] };
`;
const files = (extra: Record<string, string> = {}): Record<string, string> => ({
  'metrics.config.mjs': config(),
  'data/orders.csv': 'id,customer,amount\n1,a,5\n2,b,7\n',
  'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
  'metrics/top.yaml': metricYaml({ metric_name: 'top', owner: 'nobody', sql: 'SELECT customer FROM revenue ORDER BY revenue DESC LIMIT 1' }),
  'metrics/count.yaml': metricYaml({ metric_name: 'order_count', sql: 'SELECT count(*) AS n FROM orders' }),
  ...extra,
});

async function validated(dir: string): Promise<{ names: string[]; result: Awaited<ReturnType<Engine['validate']>> }> {
  globalThis.__validated = [];
  const engine = createEngine({ cwd: dir });
  engines.push(engine);
  const result = await engine.validate();
  await engine.close();
  return { names: [...globalThis.__validated].sort(), result };
}

describe('the project cache', () => {
  it('validates an unchanged project without asking the plugins again, with the same result and warnings', async () => {
    project = await projectDir(files());
    const loader = createEngine({ cwd: project.dir });
    await loader.load();
    await loader.close();
    const first = await validated(project.dir);
    expect(first.names).toEqual(['order_count', 'revenue', 'top']);
    const second = await validated(project.dir);
    expect(second.names).toEqual([]);
    expect(second.result).toEqual(first.result);
    expect(second.result.metrics.find((m) => m.name === 'top')!.warnings.map((w) => w.code)).toContain('OWNER_UNKNOWN');
  });

  it('an edited file, and every metric downstream of it, validates anew; the others do not', async () => {
    project = await projectDir(files());
    await (async () => { const e = createEngine({ cwd: project!.dir }); await e.load(); await e.close(); })();
    await validated(project.dir);
    await project.write({ 'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer, sum(amount) * 2 AS revenue FROM orders GROUP BY ALL' }) });
    expect((await validated(project.dir)).names).toEqual(['revenue', 'top']);
    // White space is part of the bytes: the file is read again (and found valid again).
    await project.write({ 'metrics/count.yaml': `${metricYaml({ metric_name: 'order_count', sql: 'SELECT count(*) AS n FROM orders' })}\n` });
    expect((await validated(project.dir)).names).toEqual(['order_count']);
  });

  it('still catches a source column that disappeared', async () => {
    project = await projectDir(files());
    const load = async (): Promise<void> => { const e = createEngine({ cwd: project!.dir }); await e.load(); await e.close(); };
    await load();
    expect((await validated(project.dir)).result.ok).toBe(true);
    await project.write({ 'data/orders.csv': 'id,customer\n1,a\n' });
    await load();
    const after = await validated(project.dir);
    // top is not asked: what it reads is invalid now, which says enough.
    expect(after.names).toEqual(['order_count', 'revenue']);
    const revenue = after.result.metrics.find((m) => m.name === 'revenue')!;
    expect(revenue.status).toBe('invalid');
    expect(revenue.errors[0]!.message).toMatch(/amount/);
    expect(after.result.metrics.find((m) => m.name === 'top')!.errors[0]!.code).toBe('UPSTREAM_INVALID');
  });

  it('a config change (plugin options live there) validates everything anew', async () => {
    project = await projectDir(files());
    await (async () => { const e = createEngine({ cwd: project!.dir }); await e.load(); await e.close(); })();
    await validated(project.dir);
    await project.write({ 'metrics.config.mjs': config('b') });
    // (This process keeps the first import of the config module; a new CLI process would load the new one.)
    expect((await validated(project.dir)).names).toEqual(['order_count', 'revenue', 'top']);
  });

  it('a metric restored from the cache still points at the line of a build error', async () => {
    project = await projectDir(files({ 'metrics/cast.yaml': metricYaml({ metric_name: 'casted', sql: 'SELECT\n  CAST(customer AS INTEGER) AS c\nFROM orders' }) }));
    const engine = createEngine({ cwd: project.dir });
    engines.push(engine);
    await engine.load();
    await engine.validate();
    await engine.close();
    const again = createEngine({ cwd: project.dir });
    engines.push(again);
    const run = await again.run();
    const casted = run.metrics.find((m) => m.name === 'casted')!;
    expect(casted.status).toBe('failed');
    expect(casted.error).toMatchObject({ file: 'metrics/cast.yaml' });
    expect(casted.error!.line).toBeGreaterThanOrEqual(6);
    expect(casted.error!.frame).toContain('CAST(customer AS INTEGER)');
  });

  it('is not used when plugins are given in code, whose options it cannot see', async () => {
    project = await projectDir(files());
    const { csv } = await import('@duckmetrics/plugin-csv');
    const seen: string[] = [];
    const inCode = { plugins: [csv(), { name: 'seen', validate: (m: { name: string }) => (seen.push(m.name), []) }] };
    for (let i = 0; i < 2; i++) {
      const e = createEngine({ cwd: project.dir, config: inCode });
      engines.push(e);
      if (i === 0) await e.load();
      await e.validate();
      await e.close();
    }
    expect(seen.sort()).toEqual(['order_count', 'order_count', 'revenue', 'revenue', 'top', 'top']);
  });
});

describe('a project moved with its database', () => {
  it('reads its files again at the new place: fixtures of unit tests resolve there, not where the project was', async () => {
    const { cp, mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const pathMod = await import('node:path');
    project = await projectDir(files({
      'metrics/count.yaml': `${metricYaml({ metric_name: 'order_count', sql: 'SELECT count(*) AS n FROM orders' })}tests:\n  - name: counts\n    given:\n      orders: { csv: fixtures/orders.csv }\n    expect: [{ n: 2 }]\n`,
      'metrics/fixtures/orders.csv': 'id,customer,amount\n1,a,5\n2,b,7\n',
    }));
    const first = createEngine({ cwd: project.dir });
    engines.push(first);
    await first.load();
    expect((await first.test({ unit: true })).tests.map((t) => t.status)).toEqual(['pass']);
    await first.close();
    const moved = pathMod.join(await mkdtemp(pathMod.join(os.tmpdir(), 'duckmetrics-moved-')), 'project');
    await cp(project.dir, moved, { recursive: true });
    await rm(project.dir, { recursive: true, force: true });
    try {
      const again = createEngine({ cwd: moved });
      engines.push(again);
      const result = await again.test({ unit: true });
      expect(result.tests.map((t) => [t.status, t.message])).toEqual([['pass', '1 row as expected']]);
    } finally {
      for (const e of engines.splice(0)) await e.close();
      await rm(pathMod.dirname(moved), { recursive: true, force: true });
    }
  });
});
