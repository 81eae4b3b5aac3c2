import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const duckdb = pathToFileURL(createRequire(import.meta.url).resolve('@duckdb/node-api')).href;

/** Another process that holds a DuckDB file open (and so its lock) until `release()`. */
export interface DatabaseHolder {
  pid: number;
  /** Kills the holder (SIGKILL: the OS drops the lock) and waits until it is gone. */
  release(): Promise<void>;
}

/** Spawns a plain Node process that opens `file` with DuckDB and waits; resolves once the lock is held. */
export async function holdDatabase(file: string): Promise<DatabaseHolder> {
  const script = `import { DuckDBInstance } from ${JSON.stringify(duckdb)};
const instance = await DuckDBInstance.create(process.argv[1]);
const connection = await instance.connect();
await connection.run('CREATE TABLE IF NOT EXISTS held AS SELECT 1 AS x');
process.stdout.write('holding\\n');
setInterval(() => {}, 1000);`;
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    pid: child.pid!,
    async release() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs` (generous: tests run on loaded machines). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
