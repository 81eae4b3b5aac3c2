import { spawn } from 'node:child_process';
import { BIN } from './run-cli.ts';

/** A running `duckmetrics docs --serve`, started by a test. */
export interface DocsServer {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and resolves to the exit code (SIGKILL if it has not exited within 20 s). */
  stop(): Promise<number | null>;
}

/** Starts `duckmetrics docs --serve --port 0 …args` in `cwd` and resolves once it prints its URL (at most 60 s). */
export function startDocsServer(cwd: string, args: string[] = []): Promise<DocsServer> {
  const child = spawn(process.execPath, [BIN, 'docs', '--serve', '--port', '0', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(kill);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`docs --serve printed no URL within 60 s:\n${output}`));
    }, 60_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(output)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, output: () => output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`docs --serve exited with ${code}:\n${output}`));
    });
  });
}
