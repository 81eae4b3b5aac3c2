import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN } from './run-cli.ts';

/** A long-running `duckmetrics` (dev, schedule) started by a test. */
export interface RunningCli {
  child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Resolves with stdout once `done(stdout)` is true; rejects after `timeoutMs` (polling, no wall-clock assertion). */
  waitFor(done: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts the built CLI in `cwd` with stdin closed (not a TTY) and `NO_COLOR`. */
export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    running.delete(child);
    resolve(code);
  }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(done, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(out)) {
        if (child.exitCode !== null) throw new Error(`duckmetrics ${args.join(' ')} exited ${child.exitCode} before the expected output\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for duckmetrics ${args.join(' ')}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    },
    async stop(signal = 'SIGINT', timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Kills every process `spawnCli` started that is still running: call it in `afterEach`. */
export async function killAllCli(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** The JSON lines of `--json` output of dev / schedule (one object per line). */
export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T);
}
