import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../database.ts';
import { plainValue } from '../database.ts';
import { DatabaseLockedError, DuckmetricsError, errorMessage } from '../errors.ts';

/** The engine's handle on DuckDB: the plugin-facing `Database` plus what only core needs. */
export interface DuckDatabase extends Database {
  /** The database path (or `:memory:`). */
  readonly path: string;
  /** Interrupts the running statement on every connection. */
  interrupt(): void;
  /** Another connection to the same database, for concurrent work (closed with this one). */
  connect(): Promise<Database>;
  /** Closes every connection and the instance. */
  close(): void;
}

function wrap(connection: DuckDBConnection): Database {
  return {
    async run(sql) {
      await connection.run(sql);
    },
    async all<T>(sql: string) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => plainValue(row) as T);
    },
    async countStatements(sql) {
      const extracted = await connection.extractStatements(sql);
      return extracted.count;
    },
  };
}

/** Opens (or creates) a DuckDB file. Maps a lock held by another process to `DatabaseLockedError`. */
export async function openDuckDatabase(file: string, settings: Record<string, string> = {}): Promise<DuckDatabase> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, settings);
  } catch (error) {
    const message = errorMessage(error);
    if (/Could not set lock on file/i.test(message)) {
      const pid = /PID (\d+)/.exec(message);
      throw new DatabaseLockedError(file, pid ? Number(pid[1]) : undefined, error);
    }
    throw new DuckmetricsError('DATABASE_ERROR', `cannot open database ${file}: ${message.split('\n')[0]}`, {
      file,
      hint: 'check that the path is writable and is a DuckDB database file',
      cause: error,
    });
  }
  const main: DuckDBConnection = await instance.connect();
  const connections: DuckDBConnection[] = [main];
  return {
    ...wrap(main),
    path: file,
    async connect() {
      const extra = await instance.connect();
      connections.push(extra);
      return wrap(extra);
    },
    interrupt() {
      for (const c of connections) c.interrupt();
    },
    close() {
      for (const c of connections) c.closeSync();
      instance.closeSync();
    },
  };
}
