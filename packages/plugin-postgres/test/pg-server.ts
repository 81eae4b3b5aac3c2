// A real PostgreSQL server for tests and the bench: initdb + pg_ctl in a temp folder, as an unprivileged user,
// on a free loopback port, with password (scram) authentication, stopped when the tests end or the process exits.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/** A running server: connection URLs for the superuser, and a way to run SQL as it. */
export interface PgServer {
  port: number;
  /** Folder of the data directory, the socket and the log. */
  dir: string;
  bindir: string;
  /** Superuser `postgres` with its password, database `postgres`. */
  superUrl: string;
  /** A URL for `user` / `password` on database `db`. */
  url(user: string, password: string, db?: string): string;
  /** Runs SQL as the superuser through psql (ON_ERROR_STOP), returns stdout. */
  psql(sql: string, db?: string): string;
  stop(): void;
}

export const SUPER_PASSWORD = 'super-secret-pw';

/** Where initdb lives: `pg_config --bindir`, else the newest /usr/lib/postgresql/<n>/bin. */
export function findPostgresBindir(): string | undefined {
  const fromEnv = process.env.DUCKMETRICS_PG_BINDIR;
  if (fromEnv && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const candidates: string[] = [];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) candidates.push(path.join('/usr/lib/postgresql', v, 'bin'));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on PATH
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const running = new Set<PgServer>();
const stopAll = (): void => {
  for (const server of running) server.stop();
};
// afterAll stops a server; these stop it when the process ends without running afterAll (a crash, Ctrl-C).
process.once('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.kill(process.pid, signal);
  });
}

/**
 * Starts a fresh server. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user that the
 * Debian package creates (`runuser`); otherwise as the current user. Throws with a clear message when no
 * PostgreSQL is installed: the tests must fail, not skip (CI installs it, see .ci/run).
 */
export async function startPostgres(): Promise<PgServer> {
  const bindir = findPostgresBindir();
  if (bindir === undefined) {
    throw new Error('PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or pg_config --bindir): apt-get install postgresql, or set DUCKMETRICS_PG_BINDIR');
  }
  const root = userInfo().uid === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (root) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses root): create one, or install the postgresql package');
    uid = Number(id.stdout.trim());
    gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  }
  // As root, under /tmp: a TMPDIR inside /root would be out of the postgres user's reach.
  const dir = mkdtempSync(path.join(root && existsSync('/tmp') ? '/tmp' : tmpdir(), 'duckmetrics-pg-'));
  chmodSync(dir, 0o755);
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  const as = (bin: string, args: string[]): void => {
    const [command, all] = root ? ['runuser', ['-u', 'postgres', '--', path.join(bindir, bin), ...args]] : [path.join(bindir, bin), args];
    const r = spawnSync(command as string, all as string[], { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${bin} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, SUPER_PASSWORD);
  if (uid !== undefined && gid !== undefined) chownSync(pwfile, uid, gid);
  const data = path.join(dir, 'data');
  as('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']);
  rmSync(pwfile);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  as('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);

  const superUrl = `postgres://postgres:${SUPER_PASSWORD}@127.0.0.1:${port}/postgres`;
  const server: PgServer = {
    port, dir, bindir, superUrl,
    url: (user, password, db = 'postgres') => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`,
    psql(sql, db = 'postgres') {
      const r = spawnSync(path.join(bindir, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db], {
        input: sql, encoding: 'utf8', env: { ...process.env, PGPASSWORD: SUPER_PASSWORD },
      });
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
      return r.stdout;
    },
    stop() {
      if (!running.delete(server)) return;
      try {
        as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  running.add(server);
  return server;
}
