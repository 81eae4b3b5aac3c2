// DuckDB itself: opening a file (lock waits, errors), connections, the sandbox lockdown, interrupts.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { plainValue } from './database.ts';
import { DatabaseLockedError, DuckmetricsError, errorMessage } from '../errors.ts';
import { requireDependency } from '../vendor.ts';

type NodeApi = typeof import('@duckdb/node-api');
let nodeApi: NodeApi | undefined;
/**
 * `@duckdb/node-api`, required on first open (from core's bundle of it, src/vendor.ts). It is CommonJS: Node's
 * ESM `import` of it scans every file of the package for its exports first (measured 140-160 ms against 65-85 ms
 * for `require`), and commands that never open a database (`--version`, `--help`, `new`) should not load it at all.
 */
const duckdbApi = (): NodeApi => (nodeApi ??= requireDependency<NodeApi>('@duckdb/node-api'));

/** The engine's handle on DuckDB: the plugin-facing `Database` plus what only core needs. */
export interface DuckDatabase extends Database {
  plan(sql: string): Promise<void>;
  /** The database path (or `:memory:`). */
  readonly path: string;
  /** True once `lockDown()` ran: this instance can no longer reach files or the network, ever. */
  readonly locked: boolean;
  /**
   * Applies the sandbox to the whole instance (every connection, present and future): no file system or network
   * access, no extension loading, and the configuration is locked so SQL cannot `SET` it back. DuckDB cannot undo
   * this in a running instance; to load sources again, close and open the database. Idempotent.
   */
  lockDown(): Promise<void>;
  /** Interrupts the running statement on every connection. */
  interrupt(): void;
  /** Another connection to the same database, for concurrent work (closed with this one). */
  connect(): Promise<Database>;
  /** A connection of its own to the same database, closed by its `release()` (or with this one). */
  lease(): Promise<Database & { release(): void }>;
  withConnection<T>(work: (connection: Database) => Promise<T>): Promise<T>;
  /** Closes every connection and the instance. */
  close(): void;
}

/** How to open a database file. */
export interface OpenOptions {
  /** DuckDB settings given when the instance is created. */
  settings?: Record<string, string>;
  /** When another process holds the file, keep retrying for this long before failing. Default 0. */
  waitForLockMs?: number;
  /** Stops waiting for the lock. */
  signal?: AbortSignal;
  /** Called once, when the file is locked and `waitForLockMs` makes the open retry. */
  onWait?: (locked: DatabaseLockedError) => void;
}

/**
 * What `lockDown()` runs, in this order. `enable_external_access = false` blocks every file system and network
 * access from SQL (read_csv, COPY … TO, ATTACH of a file, INSTALL/LOAD, httpfs) except DuckDB's own files and
 * temp directory; `lock_configuration = true` makes every later `SET`/`RESET` fail, including these.
 */
export const SANDBOX_STATEMENTS: readonly string[] = [
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET allow_community_extensions = false',
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];

/** A connection as `Database`, plus an interrupt that cannot be lost. */
interface WrappedConnection extends Database {
  connection: DuckDBConnection;
  plan(sql: string): Promise<void>;
  /**
   * Interrupts the statement running now. DuckDB forgets an interrupt that arrives before the statement has really
   * started on its thread, so it is repeated until the statements in flight at the time of the call have settled.
   */
  interrupt(): void;
}

const INTERRUPT_REPEAT_MS = 20;

function wrap(connection: DuckDBConnection): WrappedConnection {
  let inFlight = 0;
  let settled = 0;
  const track = async <T>(work: Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await work;
    } finally {
      inFlight--;
      settled++;
    }
  };
  return {
    connection,
    async run(sql) {
      await track(connection.run(sql));
    },
    async all<T>(sql: string) {
      const reader = await track(connection.runAndReadAll(sql));
      return reader.getRowObjectsJS().map((row) => plainValue(row) as T);
    },
    async countStatements(sql) {
      const extracted = await connection.extractStatements(sql);
      return extracted.count;
    },
    async plan(sql) {
      // Preparing binds, optimizes and plans the statement; it is destroyed unrun.
      const prepared = await track(connection.prepare(sql));
      prepared.destroySync();
    },
    interrupt() {
      connection.interrupt();
      const mark = settled;
      const again = (): void => {
        if (inFlight === 0 || settled !== mark) return;
        connection.interrupt();
        setTimeout(again, INTERRUPT_REPEAT_MS);
      };
      if (inFlight > 0) setTimeout(again, INTERRUPT_REPEAT_MS);
    },
  };
}

/** Statements that start or publish work; refused once a run was cancelled (see `stopBuildsOnAbort`). */
const BUILDING_STATEMENT = /^\s*(?:BEGIN|CREATE|ALTER|DROP|COMMIT|COPY|EXPLAIN)\b/i;

/**
 * The database as a cancellable run sees it: once `signal` is aborted, statements that would start or publish a
 * build (`BEGIN`, `CREATE`, `ALTER`, `DROP`, `COMMIT`, …) fail at once with DuckDB's `INTERRUPT Error`, so no build
 * can slip in between the run's last check of the signal and its first statement; rollbacks, reads and the run's
 * own bookkeeping in `_duckmetrics` still go through. The statement in flight is interrupted by `interrupt()`.
 */
export function stopBuildsOnAbort(db: DuckDatabase, signal: AbortSignal): DuckDatabase {
  const guard = (target: Database): Database => ({
    run: (sql) => (signal.aborted && BUILDING_STATEMENT.test(sql) ? Promise.reject(cancelled()) : target.run(sql)),
    all: <T>(sql: string) => (signal.aborted && BUILDING_STATEMENT.test(sql) ? Promise.reject(cancelled()) : target.all<T>(sql)),
    countStatements: (sql) => target.countStatements(sql),
    // Planning runs nothing, so it goes through like counting statements.
    plan: (sql) => target.plan!(sql),
  });
  return Object.assign(Object.create(db) as DuckDatabase, guard(db), {
    connect: async () => guard(await db.connect()),
    withConnection: <T>(work: (connection: Database) => Promise<T>) => db.withConnection((connection) => work(guard(connection))),
  });
}

function cancelled(): Error {
  return new Error('INTERRUPT Error: Interrupted! (the run was cancelled before this statement started)');
}

const LOCK_RETRY_MS = 200;

/**
 * Opens (or creates) a DuckDB file. A lock held by another process becomes `DatabaseLockedError` (after retrying
 * for `waitForLockMs`); any other failure (missing folder, read-only path, disk full) becomes `DATABASE_ERROR`
 * naming the file. Nothing is created when opening fails.
 */
export async function openDuckDatabase(file: string, options: OpenOptions = {}): Promise<DuckDatabase> {
  const deadline = Date.now() + Math.max(0, options.waitForLockMs ?? 0);
  let instance: DuckDBInstance;
  let told = false;
  for (;;) {
    try {
      // `create`, not `fromCache`: each engine owns its instance, so closing it really releases the file.
      instance = await duckdbApi().DuckDBInstance.create(file, options.settings ?? {});
      break;
    } catch (error) {
      const locked = lockHolder(errorMessage(error));
      if (!locked) throw openError(file, error);
      const left = deadline - Date.now();
      const lockedError = new DatabaseLockedError(file, locked.pid, error, locked.program);
      if (left <= 0 || options.signal?.aborted) throw lockedError;
      if (!told) options.onWait?.(lockedError);
      told = true;
      await sleep(Math.min(LOCK_RETRY_MS, left), options.signal);
    }
  }
  const main = wrap(await instance.connect());
  const connections: WrappedConnection[] = [main];
  const another = async (): Promise<WrappedConnection> => {
    const extra = wrap(await instance.connect());
    connections.push(extra);
    return extra;
  };
  const lease = async (): Promise<Database & { release(): void }> => {
    const extra = await another();
    const { run, all, countStatements, plan } = extra;
    const release = (): void => {
      const at = connections.indexOf(extra);
      if (at === -1) return;
      connections.splice(at, 1);
      extra.connection.closeSync();
    };
    return { run, all, countStatements, plan, release };
  };
  let locked = false;
  return {
    run: main.run,
    all: main.all,
    countStatements: main.countStatements,
    plan: main.plan,
    path: file,
    get locked() {
      return locked;
    },
    async lockDown() {
      if (locked) return;
      for (const statement of SANDBOX_STATEMENTS) await main.connection.run(statement);
      locked = true;
    },
    async connect() {
      const { run, all, countStatements, plan } = await another();
      return { run, all, countStatements, plan };
    },
    lease,
    async withConnection(work) {
      const { release, ...connection } = await lease();
      try {
        return await work(connection);
      } finally {
        release();
      }
    },
    interrupt() {
      for (const c of connections) c.interrupt();
    },
    close() {
      for (const c of connections.splice(0)) c.connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The process holding the file, from DuckDB's "Could not set lock on file … (PID n)" message. */
function lockHolder(message: string): { pid?: number; program?: string } | undefined {
  if (!/Could not set lock on file/i.test(message)) return undefined;
  const holder = /held in (.+?) \(PID (\d+)\)/.exec(message);
  const pid = holder ? Number(holder[2]) : /PID (\d+)/.exec(message)?.[1];
  return { ...(pid === undefined ? {} : { pid: Number(pid) }), ...(holder?.[1] ? { program: holder[1] } : {}) };
}

function openError(file: string, error: unknown): DuckmetricsError {
  const message = errorMessage(error).split('\n')[0]!;
  return new DuckmetricsError('DATABASE_ERROR', `cannot open database ${file}: ${message}`, { file, hint: storageHint(message) ?? 'check that the path is writable and is a DuckDB database file', cause: error });
}

/** What to do about a storage failure DuckDB reported, or undefined when the message is not one. */
function storageHint(message: string): string | undefined {
  if (/No space left on device|disk full/i.test(message)) return 'the disk is full: free some space, or point `database` in the config to another disk';
  if (/Not a directory|No such file or directory/i.test(message)) return 'the folder of the database path does not exist (or is a file): create it, or fix `database` in the config';
  if (/Permission denied|Read-only file system/i.test(message)) return 'the database path is not writable: fix its permissions, or point `database` in the config to a writable folder';
  if (/not a valid DuckDB database|Trying to read a database file/i.test(message)) return 'this file is not a DuckDB database (or was written by a newer DuckDB): point `database` in the config to another file';
  if (/IO Error|Could not write file|Failed to commit/i.test(message)) return 'DuckDB could not write the database file: check the free disk space and the permissions of its folder';
  return undefined;
}

/**
 * A failure to write the database file (disk full, read-only folder, …) as `DATABASE_ERROR` naming the file, or
 * undefined for any other error. Used where such a failure would otherwise surface as an internal error.
 */
export function storageFault(error: unknown, file: string): DuckmetricsError | undefined {
  if (error instanceof DuckmetricsError) return undefined;
  const message = errorMessage(error).split('\n')[0]!;
  const hint = storageHint(message);
  return hint === undefined || !/No space|disk full|Permission denied|Read-only|IO Error|Could not write|Failed to commit|No such file|Not a directory/i.test(message)
    ? undefined
    : new DuckmetricsError('DATABASE_ERROR', `cannot write database ${file}: ${message}`, { file, hint, cause: error });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
