// A failed audit stays inspectable: the rejected result is kept in quarantine, `test` reads its failing rows
// (also on a first build, when no table exists), and a good build or `clean` drops it.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
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

const source = definePlugin({
  name: 'people',
  async loadSources(ctx) {
    await ctx.db.run(`CREATE OR REPLACE TABLE people AS SELECT * FROM (VALUES (1, 'ana'), (2, NULL), (3, 'bo'), (4, NULL)) t(id, name)`);
    return [{ name: 'people', rows: 4 }];
  },
});
const checked = (where: string): string => metricYaml({ metric_name: 'named', sql: `SELECT id, name FROM people WHERE ${where}`, columns: [{ name: 'name', checks: ['not_null'] }] });
const tables = async (e: Engine, schema: string): Promise<string[]> => (await e.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY 1`)).map((r) => r.t);

describe('quarantine of a failed audit', () => {
  it('shows the failing rows of a first build that never published, with the query that finds them', async () => {
    project = await projectDir({ 'metrics/named.yaml': checked('true') });
    engine = createEngine({ cwd: project.dir, config: { plugins: [source], threads: 1 } });
    await engine.load();
    const run = await engine.run();
    expect(run.metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
    expect(await tables(engine, 'main')).toEqual(['people']);
    const test = await engine.test();
    expect(test.ok).toBe(false);
    const [check] = test.checks;
    expect(check).toMatchObject({ metric: 'named', status: 'fail', failingRows: 2, table: '_duckmetrics_quarantine.named' });
    expect(check!.sample).toEqual([{ id: 2, name: null }, { id: 4, name: null }]);
    expect(await engine.query(check!.query!)).toHaveLength(2);
  });

  it('keeps the published table while the rejected result waits in quarantine, and a good build drops it', async () => {
    project = await projectDir({ 'metrics/named.yaml': checked('name IS NOT NULL') });
    engine = createEngine({ cwd: project.dir, config: { plugins: [source], threads: 1 } });
    await engine.load();
    expect((await engine.run()).ok).toBe(true);
    await project.write({ 'metrics/named.yaml': checked('id > 1') });
    expect((await engine.run()).metrics[0]).toMatchObject({ status: 'failed', reason: 'check failed' });
    expect(await engine.query('SELECT id FROM named ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await tables(engine, '_duckmetrics_quarantine')).toEqual(['named']);
    expect((await engine.test()).checks[0]).toMatchObject({ failingRows: 2, table: '_duckmetrics_quarantine.named' });
    await project.write({ 'metrics/named.yaml': checked("coalesce(name, '') <> ''") });
    expect((await engine.run()).ok).toBe(true);
    expect(await tables(engine, '_duckmetrics_quarantine')).toEqual([]);
    const test = await engine.test();
    expect(test.ok).toBe(true);
    expect(test.checks[0]!.table).toBeUndefined();
  });

  it('is dropped by clean', async () => {
    project = await projectDir({ 'metrics/named.yaml': checked('true') });
    engine = createEngine({ cwd: project.dir, config: { plugins: [source], threads: 1 } });
    await engine.load();
    await engine.run();
    expect(await tables(engine, '_duckmetrics_quarantine')).toEqual(['named']);
    await engine.clean();
    expect(await tables(engine, '_duckmetrics_quarantine')).toEqual([]);
    expect(await tables(engine, 'main')).toEqual(['people']);
  });
});
