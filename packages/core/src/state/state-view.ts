// The state a verb works from, read once at its start: the database's tables and what duckmetrics recorded.
import type { Database } from '../database/database.ts';
import { readSchemaTables, readTables } from '../database/introspection.ts';
import { QUARANTINE_SCHEMA } from '../project/namespace.ts';
import type { TableEntry } from '../database/introspection.ts';
import { readMetricRegistry, readSourceRegistry } from './builds.ts';
import type { MetricState, SourceState } from './builds.ts';
import { readLastCurrent } from './runs.ts';

/** Everything a plan or a verb needs to know about the database, keyed by lower-case name. */
export interface StateView {
  /** Tables and views of the main schema. */
  tables: ReadonlyMap<string, TableEntry>;
  /** Metrics duckmetrics built. */
  metrics: ReadonlyMap<string, MetricState>;
  /** Sources plugins loaded. */
  sources: ReadonlyMap<string, SourceState>;
  /** When each metric was last made current (built or found up to date); read only when asked for. */
  lastCurrent: ReadonlyMap<string, Date>;
  /** Metrics whose last audit failed and whose rejected result is kept in the quarantine schema. */
  quarantined: ReadonlySet<string>;
}

/** Reads the state view; `lastCurrent` (a scan of the run history) only with `{ lastCurrent: true }`. */
export async function readStateView(db: Database, options: { lastCurrent?: boolean } = {}): Promise<StateView> {
  const [tables, metrics, sources, lastCurrent, quarantined] = await Promise.all([
    readTables(db),
    readMetricRegistry(db),
    readSourceRegistry(db),
    options.lastCurrent ? readLastCurrent(db) : new Map<string, Date>(),
    readSchemaTables(db, QUARANTINE_SCHEMA),
  ]);
  return { tables, metrics, sources, lastCurrent, quarantined };
}
