// Nothing silently wrong, nothing lost: one namespace for tables, sources that stay true to their files, files that
// are not what they seem, selectors and schedules that cannot quietly match nothing. Real DuckDB files throughout.
import { mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin, quoteIdent } from '@duckmetrics/core';
import type { Engine, Plugin } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const require = createRequire(import.meta.url);
let project: TempProject | undefined;
let engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines) await e.close();
  engines = [];
  await project?.cleanup();
  project = undefined;
});

/**
 * A source plugin over `data/*.txt`: each file `<name>.txt` holding a number n becomes table `<name>` with n rows.
 * With `claim: false` it ignores the engine's name claims, as a careless third-party plugin would.
 */
function numbers(options: { claim?: boolean } = {}): Plugin {
  return definePlugin({
    name: 'numbers',
    async loadSources(ctx, { claim }) {
      const { readdir, readFile } = await import('node:fs/promises');
      const dir = path.join(ctx.config.root, 'data');
      const names = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.txt')).sort();
      const loads = [];
      for (const file of names) {
        const full = path.join(dir, file);
        const name = file.slice(0, -4);
        const taken = options.claim === false ? undefined : claim?.(name, full);
        if (taken) {
          loads.push({ name, path: full, error: { code: 'SOURCE_NAME_TAKEN', message: taken } });
          continue;
        }
        const n = Number((await readFile(full, 'utf8')).trim());
        await ctx.db.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT range AS id, 'src' AS origin FROM range(${n})`);
        loads.push({ name, path: full, rows: n, fingerprint: `n=${n}` });
      }
      return loads;
    },
  });
}

async function open(files: Record<string, string>, plugin: Plugin = numbers()): Promise<Engine> {
  project ??= await projectDir(files);
  const engine = createEngine({ cwd: project.dir, config: { plugins: [plugin], threads: 1 } });
  engines.push(engine);
  return engine;
}

const count = async (e: Engine, table: string): Promise<number> => Number((await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`))[0]!.n);
const metric = (name: string, sql: string, extra: Record<string, unknown> = {}): string => metricYaml({ metric_name: name, sql, ...extra });

describe('one namespace: a source never replaces a metric, a metric never replaces a source', () => {
  it('refuses a source named like a built metric, whatever the case, and keeps the metric table', async () => {
    const e = await open({ 'data/orders.txt': '5', 'metrics/good.yaml': metric('good', 'SELECT id FROM orders WHERE id < 2') });
    expect((await e.load()).ok).toBe(true);
    expect((await e.run()).ok).toBe(true);
    expect(await count(e, 'good')).toBe(2);
    for (const variant of ['good', 'GOOD', 'Good']) {
      await project!.write({ [`data/${variant}.txt`]: '100' });
      const loaded = await e.load();
      const refused = loaded.sources.find((s) => s.name === variant)!;
      expect(refused).toMatchObject({ status: 'failed', error: { code: 'SOURCE_NAME_TAKEN', file: `data/${variant}.txt` } });
      expect(refused.error!.message).toMatch(/metric good/);
      expect(await count(e, 'good')).toBe(2);
      await rm(project!.path('data', `${variant}.txt`));
    }
  });

  it('loads a source named like a metric file not built yet, and validation flags the metric instead', async () => {
    const e = await open({ 'data/orders.txt': '3', 'data/later.txt': '9', 'metrics/later.yaml': metric('later', 'SELECT count(*) AS n FROM orders') });
    const loaded = await e.load();
    expect(loaded.sources.find((s) => s.name === 'later')).toMatchObject({ status: 'loaded', rows: 9 });
    const run = await e.run();
    expect(run.metrics.find((m) => m.name === 'later')).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'METRIC_SHADOWS_SOURCE', line: 4 } });
    expect(await count(e, 'later')).toBe(9);
  });

  it('loads one of two files that map to one table and refuses the other, naming both', async () => {
    const e = await open({ 'data/ORDERS.txt': '4', 'data/orders.txt': '7' });
    const loaded = await e.load();
    expect(loaded.ok).toBe(false);
    const [first, second] = loaded.sources;
    expect(first).toMatchObject({ name: 'ORDERS', status: 'loaded', rows: 4 });
    expect(second).toMatchObject({ name: 'orders', status: 'failed', error: { code: 'SOURCE_NAME_TAKEN' } });
    expect(second!.error!.message).toContain('data/ORDERS.txt');
    expect(await count(e, 'orders')).toBe(4);
  });

  it('reserves the staging prefix for sources and metrics alike', async () => {
    const e = await open({
      'data/orders.txt': '3', 'data/__duckmetrics_staging_x.txt': '2', 'data/__DUCKMETRICS_STAGING_y.txt': '2',
      'metrics/x.yaml': metric('x', 'SELECT * FROM orders'),
      'metrics/bad.yaml': metric('__duckmetrics_staging_x', 'SELECT 1 AS one'),
    });
    const loaded = await e.load();
    expect(loaded.sources.filter((s) => s.status === 'failed').map((s) => s.error?.code)).toEqual(['SOURCE_NAME_TAKEN', 'SOURCE_NAME_TAKEN']);
    const run = await e.run();
    expect(run.metrics.find((m) => m.file === 'metrics/bad.yaml')).toMatchObject({ status: 'failed', error: { code: 'METRIC_NAME_RESERVED', line: 4 } });
    expect(run.metrics.find((m) => m.name === 'x')).toMatchObject({ status: 'success', rows: 3 });
    expect(await count(e, 'orders')).toBe(3);
  });

  it('when a plugin loaded a source over a metric table anyway: validate says so, run and clean keep the source', async () => {
    const e = await open({ 'data/orders.txt': '5', 'metrics/good.yaml': metric('good', 'SELECT id FROM orders WHERE id < 2') }, numbers({ claim: false }));
    await e.load();
    await e.run();
    await project!.write({ 'data/good.txt': '50' });
    await e.load();
    expect(await count(e, 'good')).toBe(50);
    const validated = await e.validate();
    expect(validated.metrics.find((m) => m.name === 'good')!.errors[0]).toMatchObject({ code: 'METRIC_SHADOWS_SOURCE', file: 'metrics/good.yaml', line: 4 });
    expect((await e.run({ fullRefresh: true })).metrics.find((m) => m.name === 'good')).toMatchObject({ status: 'failed', reason: 'invalid' });
    expect(await count(e, 'good')).toBe(50);
    const cleaned = await e.clean();
    expect(cleaned.dropped).not.toContain('good');
    expect(await count(e, 'good')).toBe(50);
    expect(await count(e, 'orders')).toBe(5);
  });
});

describe('sources stay true to their files', () => {
  it('reports a deleted file, fails the metrics that read it (not built from the stale table), and prunes on request', async () => {
    const e = await open({
      'data/orders.txt': '5', 'data/refunds.txt': '2',
      'metrics/a.yaml': metric('a', 'SELECT count(*) AS n FROM refunds'),
      'metrics/b.yaml': metric('b', 'SELECT * FROM a'),
      'metrics/c.yaml': metric('c', 'SELECT count(*) AS n FROM orders'),
    });
    await e.load();
    await e.run();
    await rm(project!.path('data', 'refunds.txt'));
    const loaded = await e.load();
    expect(loaded.ok).toBe(true);
    expect(loaded.sources.find((s) => s.name === 'refunds')).toMatchObject({ status: 'missing', file: 'data/refunds.txt', error: { severity: 'warning', code: 'SOURCE_FILE_MISSING' } });
    const run = await e.run({ fullRefresh: true });
    expect(run.ok).toBe(false);
    expect(run.metrics.find((m) => m.name === 'a')).toMatchObject({ status: 'failed', reason: 'source file missing: data/refunds.txt', error: { code: 'SOURCE_FILE_MISSING', file: 'metrics/a.yaml' } });
    expect(run.metrics.find((m) => m.name === 'b')).toMatchObject({ status: 'skipped', reason: 'upstream failed: a' });
    expect(run.metrics.find((m) => m.name === 'c')).toMatchObject({ status: 'success' });
    expect(run.sourcesChanged).toEqual([{ name: 'refunds', file: 'data/refunds.txt', change: 'missing' }]);
    const pruned = await e.load({ prune: true });
    expect(pruned.sources.find((s) => s.name === 'refunds')).toMatchObject({ status: 'pruned' });
    expect(await e.query(`SELECT * FROM information_schema.tables WHERE table_name = 'refunds'`)).toEqual([]);
    expect((await e.validate()).metrics.find((m) => m.name === 'a')!.errors[0]).toMatchObject({ code: 'TABLE_UNKNOWN' });
    expect(await count(e, 'orders')).toBe(5);
  });

  it('says which source files changed since setup when run builds from the tables as loaded', async () => {
    const e = await open({ 'data/orders.txt': '5', 'metrics/c.yaml': metric('c', 'SELECT count(*) AS n FROM orders') });
    await e.load();
    expect((await e.run()).sourcesChanged).toBeUndefined();
    await writeFile(project!.path('data', 'orders.txt'), '6');
    const later = new Date(Date.now() + 5_000);
    await utimes(project!.path('data', 'orders.txt'), later, later);
    const run = await e.run();
    expect(run.sourcesChanged).toEqual([{ name: 'orders', file: 'data/orders.txt', change: 'changed' }]);
    expect(run.metrics[0]).toMatchObject({ status: 'skipped', reason: 'up to date', rows: 1 });
    await e.load();
    const after = await e.run();
    expect(after.sourcesChanged).toBeUndefined();
    expect(after.metrics[0]).toMatchObject({ status: 'success' });
  });
});

describe('files that are not what they seem', () => {
  it('never follows a metric file link out of the project, and never prints what it points at', async () => {
    const outside = path.join(os.tmpdir(), `duckmetrics-secret-${process.pid}.yaml`);
    await writeFile(outside, 'metric_name: stolen\nowner: x\ndescription: AWS_SECRET_ACCESS_KEY=hunter2\nschedule: "0 6 * * *"\nsql: SELECT 1 AS one\n');
    try {
      const e = await open({ 'data/orders.txt': '1', 'metrics/ok.yaml': metric('ok', 'SELECT * FROM orders') });
      await symlink(outside, project!.path('metrics', 'link.yaml'));
      await mkdir(project!.path('outside-dir-link-target'), { recursive: true });
      await symlink(os.tmpdir(), project!.path('metrics', 'tmp'));
      await symlink(path.join(project!.dir, 'nowhere.yaml'), project!.path('metrics', 'dangling.yaml'));
      await e.load();
      const run = await e.run();
      const text = JSON.stringify(run);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('stolen');
      const byFile = new Map(run.metrics.map((m) => [m.file, m]));
      expect(byFile.get('metrics/link.yaml')).toMatchObject({ status: 'failed', error: { code: 'FILE_OUTSIDE_PROJECT' } });
      expect(byFile.get('metrics/tmp')).toMatchObject({ status: 'failed', error: { code: 'FILE_OUTSIDE_PROJECT' } });
      expect(byFile.get('metrics/dangling.yaml')).toMatchObject({ status: 'failed', error: { code: 'FILE_UNREADABLE' } });
      expect(byFile.get('metrics/ok.yaml')).toMatchObject({ status: 'success', rows: 1 });
    } finally {
      await rm(outside, { force: true });
    }
  });

  it('treats a folder named x.yaml as a folder, walks a linked folder inside the project once, and reads .YAML files', async () => {
    const e = await open({
      'data/orders.txt': '2',
      'metrics/x.yaml/inner.yaml': metric('inner', 'SELECT * FROM orders'),
      'shared/linked.yml': metric('linked', 'SELECT count(*) AS n FROM orders'),
      'metrics/UPPER.YAML': metric('upper', 'SELECT 1 AS one'),
    });
    await symlink(project!.path('shared'), project!.path('metrics', 'shared'));
    await symlink(project!.path('shared'), project!.path('metrics', 'shared-again'));
    await e.load();
    const run = await e.run();
    expect(run.ok).toBe(true);
    expect(run.metrics.map((m) => m.name).sort()).toEqual(['inner', 'linked', 'upper']);
  });
});

describe('selectors and schedules that would quietly do nothing', () => {
  it.each([['tag:nope'], ['path:metrics/nowhere'], ['path:metrics/**/zz*.yaml'], ['nope'], ['+nope+'], ['tag:fin,nope']])('a selector %s that matches nothing is a usage error', async (selector) => {
    const e = await open({ 'data/orders.txt': '1', 'metrics/a.yaml': metric('a', 'SELECT * FROM orders', { tags: ['fin'] }) });
    await e.load();
    await expect(e.run({ select: [selector] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(e.run({ exclude: [selector] })).rejects.toMatchObject({ code: 'USAGE' });
    expect(await e.query(`SELECT * FROM information_schema.tables WHERE table_name = 'a'`)).toEqual([]);
  });

  it('suggests the tag or name that was meant', async () => {
    const e = await open({ 'data/orders.txt': '1', 'metrics/a.yaml': metric('revenue', 'SELECT * FROM orders', { tags: ['finance'] }) });
    await e.load();
    await expect(e.run({ select: ['tag:financ'] })).rejects.toThrow(/did you mean "tag:finance"/);
    await expect(e.run({ select: ['revenu'] })).rejects.toThrow(/did you mean "revenue"/);
  });

  it.each([['0 0 31 2 *'], ['0 0 30 2 *'], ['0 0 31 4 *'], ['0 0 31 6,9,11 *']])('warns that schedule %s can never fire, at its line', async (schedule) => {
    const e = await open({ 'data/orders.txt': '1', 'metrics/a.yaml': metric('a', 'SELECT * FROM orders', { schedule }) });
    await e.load();
    const [entry] = (await e.validate()).metrics;
    expect(entry!.status).toBe('valid');
    expect(entry!.warnings).toEqual([expect.objectContaining({ code: 'SCHEDULE_NEVER_FIRES', file: 'metrics/a.yaml', line: expect.any(Number) })]);
    const run = await e.run({ due: true });
    expect(run.metrics[0]).toMatchObject({ status: 'success' });
    const again = await e.run({ due: true });
    expect(again.metrics[0]).toMatchObject({ status: 'skipped', reason: 'not due (next never: the schedule never fires)' });
  });
});

describe('config files that misbehave', () => {
  it('sends what a config module logs to stderr, never to stdout', async () => {
    project = await projectDir({ 'metrics.config.mjs': "console.log('hello from config'); console.info('info too'); export default { database: ':memory:', plugins: [] };\n" });
    const { spawnSync } = await import('node:child_process');
    const script = `import('@duckmetrics/core').then(async ({ loadConfig }) => { const c = await loadConfig({ cwd: ${JSON.stringify(project.dir)} }); process.stdout.write(JSON.stringify({ db: c.database })); });`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: path.dirname(new URL(import.meta.url).pathname) });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ db: ':memory:' });
    expect(out.stderr).toContain('hello from config');
    expect(out.stderr).toContain('info too');
  });

  it('gives a CONFIG error naming the file when the config never finishes loading', async () => {
    project = await projectDir({ 'metrics.config.mjs': 'await new Promise(() => {});\nexport default {};\n' });
    const { spawnSync } = await import('node:child_process');
    const script = `import('@duckmetrics/core').then(({ loadConfig }) => loadConfig({ cwd: ${JSON.stringify(project.dir)} })).then(() => process.exit(0), (e) => { process.stdout.write(JSON.stringify({ code: e.code, file: e.file, message: e.message })); process.exit(2); });`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: path.dirname(new URL(import.meta.url).pathname), env: { ...process.env, DUCKMETRICS_CONFIG_TIMEOUT_MS: '500' } });
    expect(out.status).toBe(2);
    const error = JSON.parse(out.stdout) as { code: string; file: string; message: string };
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.file).toBe(path.join(project.dir, 'metrics.config.mjs'));
    expect(error.message).toMatch(/did not finish loading/);
  });
});

describe('faults of the machine', () => {
  // A full disk needs a small file system of its own: a 2 MiB tmpfs, which only root can mount. Where mounting is
  // not allowed (not root, or a container that forbids it) there is no full disk to test against.
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const mountPoint = path.join(os.tmpdir(), `duckmetrics-full-${process.pid}`);
  let mounted = false;
  try {
    require('node:fs').mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }

  it.runIf(mounted)('a full disk is DATABASE_ERROR naming the database file, never an internal error, and loses no table', async () => {
    try {
      const dir = path.join(mountPoint, 'project');
      await mkdir(path.join(dir, 'data'), { recursive: true });
      await mkdir(path.join(dir, 'metrics'), { recursive: true });
      await writeFile(path.join(dir, 'data', 'small.txt'), '3');
      await writeFile(path.join(dir, 'metrics', 'm.yaml'), metric('m', 'SELECT count(*) AS n FROM small'));
      const e = createEngine({ cwd: dir, config: { plugins: [numbers()], threads: 1 } });
      engines.push(e);
      expect((await e.load()).ok).toBe(true);
      expect((await e.run()).ok).toBe(true);
      await writeFile(path.join(dir, 'data', 'huge.txt'), '5000000');
      const outcome = await e.load().then((r) => ({ ok: r.ok, code: r.errors[0]?.code }), (error: { code?: string; file?: string }) => ({ ok: false, code: error.code, file: error.file }));
      expect(outcome.ok).toBe(false);
      expect(outcome.code).toMatch(/DATABASE_ERROR|PLUGIN_ERROR/);
      if ('file' in outcome) expect(outcome.file).toBe(path.join(dir, 'metrics.duckdb'));
      await e.close();
      const again = createEngine({ cwd: dir, config: { plugins: [numbers()], threads: 1 } });
      engines.push(again);
      expect(await again.query('SELECT n FROM m')).toEqual([{ n: 3 }]);
    } finally {
      for (const e of engines.splice(0)) await e.close();
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    }
  });
});
