// A fresh clone as a newcomer gets it: `git clone`, `npm ci`, `npm run build`, then every `duckmetrics` command the
// README shows, run as written (`npx duckmetrics …` from the clone's root). A bin that npm does not link, a build
// that needs something the tree had by chance, or a README line that no longer works fails here.
//
// It clones the repository's committed HEAD (not uncommitted changes) into a temp folder, so nothing it builds
// touches this tree's dist/. npm installs from its cache where it can (--prefer-offline).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const EXAMPLE = 'examples/customer-metrics';

// As a person runs them: none of the test runner's NODE_OPTIONS, npm_config_* or VITEST* variables.
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('npm_config_') && !k.startsWith('VITEST'))),
  NO_COLOR: '1',
  NO_UPDATE_NOTIFIER: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const shown = (what: string, r: Result): string => `${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/** The `duckmetrics` command lines the README shows: the example's code block, and inline ones like `init`. */
function readmeCommands(readme: string): string[][] {
  const block = [...readme.matchAll(/^npx duckmetrics (.+?)\s*(?:#.*)?$/gm)].map((m) => m[1]!);
  const inline = [...readme.matchAll(/`npx duckmetrics ([^`]+)`/g)].map((m) => m[1]!);
  return [...new Set([...inline, ...block])].map((line) => line.trim().split(/\s+/));
}

let work: string;
let clone: string;
let beforeBuild: Result;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-clone-'));
  clone = path.join(work, 'duckmetrics');
  const cloned = await run('git', ['clone', '--quiet', repo, clone], work);
  expect(cloned.code, shown('git clone', cloned)).toBe(0);
  const ci = await run(npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], clone);
  expect(ci.code, shown('npm ci', ci)).toBe(0);
  beforeBuild = await run(path.join(clone, 'node_modules', '.bin', 'duckmetrics'), ['--version'], clone);
  const build = await run(npm, ['run', 'build'], clone);
  expect(build.code, shown('npm run build', build)).toBe(0);
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a fresh clone after npm ci && npm run build', () => {
  it('npm ci links node_modules/.bin/duckmetrics, which asks for a build until there is one', () => {
    expect(beforeBuild.code, shown('duckmetrics --version before the build', beforeBuild)).toBe(2);
    expect(beforeBuild.stderr).toContain('run npm run build first');
  });

  it('node_modules/.bin/duckmetrics --version runs', async () => {
    const version = await run(path.join(clone, 'node_modules', '.bin', 'duckmetrics'), ['--version'], clone);
    expect(version.code, shown('duckmetrics --version', version)).toBe(0);
    expect(version.stdout).toMatch(/^duckmetrics\/\d+\.\d+\.\d+/);
  });

  it('npm run demo (the quick start) runs', async () => {
    const demo = await run(npm, ['run', 'demo'], clone);
    expect(demo.code, shown('npm run demo', demo)).toBe(0);
    expect(demo.stdout).toContain('$ duckmetrics run');
  }, 300_000);

  it('runs every npx duckmetrics command of the README, as written', async () => {
    const commands = readmeCommands(readFileSync(path.join(clone, 'README.md'), 'utf8'));
    const names = commands.map((c) => [c[0], ...c.slice(1).filter((a) => a.startsWith('-') && a !== '--cwd')].join(' '));
    expect(names).toEqual(expect.arrayContaining(['init', 'setup', 'validate', 'run', 'run -s', 'test', 'history', 'list', 'show', 'dev', 'run --due', 'clean']));
    expect(commands.filter((c) => c[0] !== 'init').every((c) => c.join(' ').includes(`--cwd ${EXAMPLE}`))).toBe(true);

    for (const args of commands) {
      if (args[0] === 'dev') {
        await devUntilFirstCycle(args);
        continue;
      }
      const result = await run(npx, ['duckmetrics', ...args], clone);
      expect(result.code, shown(`npx duckmetrics ${args.join(' ')}`, result)).toBe(0);
      expect(result.stdout.trim(), `npx duckmetrics ${args.join(' ')} printed nothing`).not.toBe('');
      if (args[0] === 'init') {
        // "starts a new project that runs as it stands"
        for (const next of [['setup'], ['validate'], ['run']]) {
          const r = await run(npx, ['duckmetrics', ...next, '--cwd', args[1]!], clone);
          expect(r.code, shown(`npx duckmetrics ${next.join(' ')} --cwd ${args[1]}`, r)).toBe(0);
        }
      }
    }
  }, 600_000);
});

/**
 * `npx duckmetrics dev …`: waits for its first cycle (sources loaded, metrics built, "watching … for changes"), then
 * stops it as Ctrl-C does on a terminal: SIGINT to its whole process group (npx and the CLI under it).
 */
async function devUntilFirstCycle(args: string[]): Promise<void> {
  const child: ChildProcess = spawn(npx, ['duckmetrics', ...args], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const group = -child.pid!;
  try {
    const watching = await Promise.race([
      (async () => {
        const firstCycle = (): boolean => /^Done in .*$/m.test(stdout) && /^watching .* for changes \(Ctrl-C to stop\)$/m.test(stdout);
        while (!firstCycle() && child.exitCode === null && child.signalCode === null) await new Promise((r) => setTimeout(r, 100));
        return firstCycle();
      })(),
      exited.then(() => false),
    ]);
    expect(watching, `npx duckmetrics ${args.join(' ')} stopped before its first cycle\nstdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
    process.kill(group, 'SIGINT');
    await exited;
    expect(stdout, `after SIGINT\nstderr:\n${stderr}`).toContain('stopped watching');
  } finally {
    try {
      process.kill(group, 'SIGKILL'); // whatever of the group is still running (nothing, when it stopped)
    } catch {
      // the group is gone
    }
  }
}
