// The route that works before the packages are on the registry, as getting-started tells it: `npm run pack`, one
// `npm install -g` of the CLI tarball into a clean prefix, then `duckmetrics init` in an empty folder outside the
// repository, `build` and `list` there. The registry of our own scope is an address that refuses connections, and
// npm's log must show no request to it: installing must never ask a registry for an unpublished @duckmetrics name.
// Third-party dependencies come from the npm cache (or the registry) as for anyone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packed } from './packed-packages.ts';
import { npm, packInto, root, runAsUser, userEnv } from './packed-packages.ts';

const UNREACHABLE = 'http://127.0.0.1:9/';
let work: string;
let prefix: string;
let packed: Packed;
let install: Awaited<ReturnType<typeof runAsUser>>;
let npmLog: string;
/** A shell of someone who installed duckmetrics into `prefix`: its bin first on PATH, a HOME of its own. */
let shell: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-global-'));
  packed = await packInto(path.join(work, 'packed'));
  prefix = path.join(work, 'prefix');
  const home = path.join(work, 'home');
  const logs = path.join(work, 'npm-logs');
  await mkdir(home);
  // The npm cache of this machine, so that third-party packages need not be downloaded again.
  const cache = (await runAsUser(npm, ['config', 'get', 'cache'], work)).stdout.trim();
  const bin = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
  shell = userEnv({ HOME: home, USERPROFILE: home, PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), npm_config_cache: cache });
  install = await runAsUser(
    npm,
    ['install', '-g', '--prefix', prefix, `--@duckmetrics:registry=${UNREACHABLE}`, '--fetch-retries=0', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=http', `--logs-dir=${logs}`, packed.bundle],
    work,
    shell,
  );
  npmLog = existsSync(logs) ? readdirSync(logs).map((f) => readFileSync(path.join(logs, f), 'utf8')).join('\n') : '';
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const duckmetrics = (args: string[], cwd: string): ReturnType<typeof runAsUser> => runAsUser('duckmetrics', args, cwd, shell);

describe('npm run pack, then npm install -g of the CLI tarball', () => {
  it('installs without asking any registry for an @duckmetrics package', () => {
    expect(install.code, install.stderr).toBe(0);
    expect(npmLog).toContain('verbose argv');
    expect(npmLog.split('\n').filter((line) => line.includes(`${UNREACHABLE}@duckmetrics`))).toEqual([]);
  });

  it('puts duckmetrics on PATH, the installed copy and no other', async () => {
    const which = await runAsUser('sh', ['-c', 'command -v duckmetrics'], work, shell);
    expect(which.stdout.trim()).toBe(path.join(prefix, 'bin', 'duckmetrics'));
    const version = await duckmetrics(['--version'], work);
    expect(version.stdout).toContain(packed.packages.find((p) => p.name === '@duckmetrics/cli')!.version);
  });

  it('init in an empty folder outside the repository, then build and list there', async () => {
    const outside = path.join(work, 'elsewhere');
    await mkdir(outside);
    expect(path.relative(root, outside).startsWith('..')).toBe(true);
    const init = await duckmetrics(['init', 'my-metrics'], outside);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('duckmetrics build');
    expect(init.stdout).not.toContain('npm install');
    const project = path.join(outside, 'my-metrics');
    expect(existsSync(path.join(project, 'node_modules'))).toBe(false);
    // Nothing for npm to fetch: the project does not depend on our unpublished packages.
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((n) => n.startsWith('@duckmetrics/'))).toEqual([]);

    const build = await duckmetrics(['build'], project);
    expect(build.code, `${build.stdout}${build.stderr}`).toBe(0);
    expect(build.stdout).toMatch(/orders\s+12 rows/);
    expect(build.stdout).toMatch(/customer_revenue\s+5 rows/);
    expect(build.stdout).toMatch(/top_customers\s+3 rows/);
    expect(build.stdout).toContain('2 built, 0 failed');

    const list = await duckmetrics(['list'], project);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/customer_revenue\s+analytics\s+0 6 \* \* \*/);
    expect(list.stdout).toMatch(/top_customers\s+analytics/);
    const listed = await duckmetrics(['list', '--json'], project);
    expect(JSON.parse(listed.stdout)).toMatchObject({ ok: true, metrics: [{ name: 'customer_revenue', built: true, lastRun: { rows: 5 } }, { name: 'top_customers', built: true, lastRun: { rows: 3 } }] });
  }, 120_000);
});
