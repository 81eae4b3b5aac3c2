// Packages as people install them into a project: `npm run pack`'s tarballs (scripts/pack.mjs) installed into a fresh project
// (dependencies from the npm registry or its cache), then run the installed CLI and the API from there. A broken
// `exports` map, a file missing from `files`, or a dependency that is only hoisted in the monorepo fails here.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packed } from './packed-packages.ts';
import { npm, packInto, publishedPackageNames, root, runAsUser as run } from './packed-packages.ts';

let work: string;
let project: string;
let packed: Packed;
/** Every published package by name. */
const PACKAGES: string[] = publishedPackageNames();
const filesOf = (name: string): string[] => packed.packages.find((p) => p.name === name)!.files;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-pack-'));
  packed = await packInto(path.join(work, 'packed'));
  expect(packed.packages.map((p) => p.name).sort()).toEqual(PACKAGES);

  // A user's project: every tarball as a dependency; `overrides` makes the packages' dependencies on each other
  // (the CLI's on core and the plugins) use the tarballs too, never a registry copy.
  project = path.join(work, 'project');
  const dependencies = Object.fromEntries(packed.packages.map((p) => [p.name, `file:${p.tarball}`]));
  const overrides = Object.fromEntries(PACKAGES.map((name) => [name, `$${name}`]));
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'pack-install-check', private: true, type: 'module', dependencies, overrides }, null, 2));
  const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
  expect(install.code, install.stderr).toBe(0);

  await mkdir(path.join(project, 'data'));
  await mkdir(path.join(project, 'metrics'));
  await writeFile(path.join(project, 'data', 'orders.csv'), 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n');
  await writeFile(
    path.join(project, 'metrics', 'revenue.yaml'),
    ['metric_name: revenue', 'description: Revenue per customer.', 'owner: tests', 'schedule: "0 6 * * *"', 'sql: |', '  SELECT customer_id, sum(amount) AS revenue', '  FROM orders', '  GROUP BY customer_id', ''].join('\n'),
  );
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('packed packages', () => {
  it('covers the four packages at least', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['@duckmetrics/cli', '@duckmetrics/core', '@duckmetrics/plugin-csv', '@duckmetrics/plugin-validate-sql']));
  });

  it.each(PACKAGES)('%s ships dist, README, CHANGELOG and package.json, and no sources or tests', (name) => {
    const files = filesOf(name);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || /\.test\.[jt]s$/.test(f) || f.endsWith('tsconfig.json'))).toEqual([]);
  });

  it('core ships its testing entry and the metric JSON schema', () => {
    const files = filesOf('@duckmetrics/core');
    expect(files).toEqual(expect.arrayContaining(['dist/testing/index.js', 'dist/testing/index.d.ts', 'metric.schema.json']));
  });
});

describe('installed from the tarballs', () => {
  it('installed real copies, not links into the monorepo', async () => {
    for (const p of PACKAGES) {
      const installed = await realpath(path.join(project, 'node_modules', p));
      expect(installed.startsWith(project)).toBe(true);
    }
  });

  it('the CLI runs setup, validate and run --json', async () => {
    const cli = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'duckmetrics.cmd' : 'duckmetrics');
    const version = await run(cli, ['--version'], project);
    expect(version.stdout).toContain('0.1.0');
    const setup = await run(cli, ['setup', '--json'], project);
    expect(setup.code, setup.stderr).toBe(0);
    expect(JSON.parse(setup.stdout)).toMatchObject({ ok: true, sources: [{ name: 'orders', rows: 3, status: 'loaded', plugin: 'csv' }] });
    const validate = await run(cli, ['validate', '--json'], project);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, metrics: [{ name: 'revenue', status: 'valid' }] });
    const result = await run(cli, ['run', '--json'], project);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, metrics: [{ name: 'revenue', status: 'success', rows: 2 }] });
  }, 120_000);

  it('init from the installed CLI writes a project that runs with no node_modules of its own', async () => {
    const cli = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'duckmetrics.cmd' : 'duckmetrics');
    const fresh = path.join(work, 'fresh-project');
    const init = await run(cli, ['init', fresh], project);
    expect(init.code, init.stderr).toBe(0);
    // metrics.config.ts imports @duckmetrics/*: they resolve to the packages of the CLI that runs it
    for (const command of [['setup'], ['validate'], ['run', '--json']]) {
      const r = await run(cli, command, fresh);
      expect(r.code, `${command.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    // the editor-schema line of the metric files points where an installed core keeps its schema
    const line = readFileSync(path.join(fresh, 'metrics', 'customer_revenue.yaml'), 'utf8').split('\n')[0]!;
    const schema = line.replace('# yaml-language-server: $schema=', '');
    expect(existsSync(path.join(project, 'metrics', schema))).toBe(true);
  }, 120_000);

  it('the API and the testing entry import and run', async () => {
    await writeFile(
      path.join(project, 'api.mjs'),
      [
        "import { createEngine, defineConfig, definePlugin } from '@duckmetrics/core';",
        "import { memoryEngine, metricYaml, expectNoDiagnostics } from '@duckmetrics/core/testing';",
        "import { csv } from '@duckmetrics/plugin-csv';",
        "import { validateSql } from '@duckmetrics/plugin-validate-sql';",
        "import { createRequire } from 'node:module';",
        "const engine = createEngine({ cwd: process.cwd(), config: defineConfig({ database: ':memory:', plugins: [csv(), validateSql(), definePlugin({ name: 'noop' })] }) });",
        'await engine.load();',
        'const run = await engine.run();',
        "const rows = await engine.query('SELECT customer_id, revenue FROM revenue ORDER BY customer_id');",
        'await engine.close();',
        "const kit = await memoryEngine({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 42 AS answer' }) });",
        'expectNoDiagnostics(await kit.engine.validate());',
        'await kit.cleanup();',
        "const schema = createRequire(import.meta.url)('@duckmetrics/core/metric.schema.json');",
        "console.log(JSON.stringify({ ok: run.ok, rows, schemaTitle: typeof schema.title, core: createRequire(import.meta.url)('@duckmetrics/core/package.json').version }));",
      ].join('\n'),
    );
    const api = await run(process.execPath, ['api.mjs'], project);
    expect(api.code, api.stderr).toBe(0);
    expect(JSON.parse(api.stdout)).toEqual({
      ok: true,
      rows: [{ customer_id: 10, revenue: 10 }, { customer_id: 11, revenue: 7 }],
      schemaTitle: 'string',
      core: '0.1.0',
    });
  }, 120_000);

  it('the types resolve for a TypeScript user with node16 module resolution', async () => {
    await writeFile(
      path.join(project, 'consumer.ts'),
      [
        "import { createEngine, definePlugin } from '@duckmetrics/core';",
        "import type { RunResult, Plugin } from '@duckmetrics/core';",
        "import { memoryEngine } from '@duckmetrics/core/testing';",
        "import { csv } from '@duckmetrics/plugin-csv';",
        "import { validateSql } from '@duckmetrics/plugin-validate-sql';",
        "const plugins: Plugin[] = [csv({ dir: 'data' }), validateSql(), definePlugin({ name: 'x', validate: () => [] })];",
        'export async function main(): Promise<RunResult> {',
        "  const engine = createEngine({ config: { database: ':memory:', plugins } });",
        '  const kit = await memoryEngine({});',
        '  await kit.cleanup();',
        '  return engine.run();',
        '}',
      ].join('\n'),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(root, 'node_modules', '@types'), 'consumer.ts'];
    const checked = await run(process.execPath, [tsc, ...args], project);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  }, 120_000);
});
