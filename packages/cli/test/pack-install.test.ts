// Packages as people install them: `npm pack` each published package, install the tarballs into a fresh project
// (dependencies from the npm registry or its cache), then run the installed CLI and the API from there. A broken
// `exports` map, a file missing from `files`, or a dependency that is only hoisted in the monorepo fails here.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
/** Every published package: the non-private folders under packages/, by folder, with their package names. */
const NAMES = new Map<string, string>();
for (const dir of readdirSync(path.join(root, 'packages'))) {
  const file = path.join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name: string; private?: boolean };
  if (manifest.private !== true) NAMES.set(dir, manifest.name);
}
const PACKAGES: string[] = [...NAMES.keys()].sort();
const nameOf = (dir: string): string => NAMES.get(dir)!;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackedFile {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

let work: string;
let project: string;
const packed = new Map<string, PackedFile>();

async function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  // No NODE_OPTIONS or npm_config_* from the test runner: run as a user would.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('npm_config_') && !k.startsWith('VITEST')));
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: { ...env, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-pack-'));
  const tarballs = path.join(work, 'tarballs');
  await mkdir(tarballs);
  const packArgs = ['pack', '--json', '--pack-destination', tarballs, ...PACKAGES.map((p) => `--workspace=packages/${p}`)];
  const pack = await run(npm, packArgs, root);
  expect(pack.code, pack.stderr).toBe(0);
  for (const p of JSON.parse(pack.stdout) as PackedFile[]) packed.set(p.name, p);

  // A user's project: every tarball as a dependency; `overrides` makes the packages' dependencies on each other
  // (the CLI's on core and the plugins) use the tarballs too, never a registry copy.
  project = path.join(work, 'project');
  const tarball = (name: string): string => `file:${path.join(tarballs, packed.get(name)!.filename)}`;
  const dependencies = Object.fromEntries(PACKAGES.map((p) => [nameOf(p), tarball(nameOf(p))]));
  const overrides = Object.fromEntries(PACKAGES.map((p) => [nameOf(p), `$${nameOf(p)}`]));
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
    expect(PACKAGES).toEqual(expect.arrayContaining(['cli', 'core', 'plugin-csv', 'plugin-validate-sql']));
  });

  it.each(PACKAGES)('%s ships dist, README, CHANGELOG and package.json, and no sources or tests', (name) => {
    const files = packed.get(nameOf(name))!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || /\.test\.[jt]s$/.test(f) || f.endsWith('tsconfig.json'))).toEqual([]);
  });

  it('core ships its testing entry and the metric JSON schema', () => {
    const files = packed.get('@duckmetrics/core')!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/testing/index.js', 'dist/testing/index.d.ts', 'metric.schema.json']));
  });
});

describe('installed from the tarballs', () => {
  it('installed real copies, not links into the monorepo', async () => {
    for (const p of PACKAGES) {
      const installed = await realpath(path.join(project, 'node_modules', nameOf(p)));
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
