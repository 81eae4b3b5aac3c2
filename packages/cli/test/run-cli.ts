// Runs the built CLI the way a user does (a process with stdin closed), from a private copy of the build.
import { spawn } from 'node:child_process';
import { snapshotBuild } from './build-snapshot.ts';

/**
 * The built CLI entry point: tests drive what users run. It is this test file's own copy of the packages' dist/ folders (see
 * build-snapshot.ts), so a build elsewhere in the tree during the run cannot pull files from under a command.
 */
export const BIN: string = snapshotBuild();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `duckmetrics` with `args` in `cwd`; stdin is closed (not a TTY). */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
