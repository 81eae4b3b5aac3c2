// The packages as `npm run pack` writes them, and commands run as a user runs them: shared by the install tests.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const root: string = fileURLToPath(new URL('../../..', import.meta.url));
export const npm: string = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** The environment of a person's shell: none of the test runner's NODE_OPTIONS, npm_config_* or VITEST* variables. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('npm_config_') && !k.startsWith('VITEST')));
  return { ...env, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1', ...extra };
}

/** Runs `command` in `cwd` as a user would (see `userEnv`); never rejects, the exit code is in the result. */
export async function runAsUser(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** What `scripts/pack.mjs` wrote (its `packed.json`). */
export interface Packed {
  /** The CLI with our packages inside: what `npm install -g` takes. */
  bundle: string;
  packages: Array<{ name: string; version: string; tarball: string; files: string[] }>;
}

/** Runs `npm run pack`'s script (the build must exist) into `dir` and returns what it packed. */
export async function packInto(dir: string): Promise<Packed> {
  const packed = await runAsUser(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), dir, '--quiet'], root);
  if (packed.code !== 0) throw new Error(`scripts/pack.mjs failed:\n${packed.stdout}${packed.stderr}`);
  return JSON.parse(readFileSync(path.join(dir, 'packed.json'), 'utf8')) as Packed;
}

/** The names of the published packages (the non-private folders under packages/), sorted. */
export function publishedPackageNames(): string[] {
  return readdirSync(path.join(root, 'packages'))
    .map((dir) => path.join(root, 'packages', dir, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { name: string; private?: boolean })
    .filter((manifest) => manifest.private !== true)
    .map((manifest) => manifest.name)
    .sort();
}
