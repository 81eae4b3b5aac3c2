// Where the project's tables live, as one value: today a DuckDB file or an in-memory database.
import { openDuckDatabase } from './duckdb.ts';
import type { DuckDatabase, OpenOptions } from './duckdb.ts';

/**
 * The database a session opens. A later target (MotherDuck, DuckLake) is another kind here and another opener,
 * not a fork of the engine (see docs/scaling.md).
 */
export type DatabaseTarget = { kind: 'file'; path: string } | { kind: 'memory' };

/** The target a config's `database` names: `:memory:` or a file path. */
export function databaseTarget(database: string): DatabaseTarget {
  return database === ':memory:' ? { kind: 'memory' } : { kind: 'file', path: database };
}

/** Opens a target (a file is created when missing; see `openDuckDatabase` for errors and lock waits). */
export function openTarget(target: DatabaseTarget, options: OpenOptions = {}): Promise<DuckDatabase> {
  return openDuckDatabase(target.kind === 'memory' ? ':memory:' : target.path, options);
}
