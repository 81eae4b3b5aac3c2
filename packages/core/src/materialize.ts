import type { Database } from './database.ts';
import { quoteIdent, trimStatement } from './internal/sql.ts';
import type { Metric } from './metric.ts';
import type { BuildRecord, CatalogEntry } from './state-store.ts';
import { recordMetricSql } from './state-store.ts';

/** Lines the build statement puts before the metric's SQL, so DuckDB's `LINE n` can be mapped back. */
export const BUILD_PREFIX_LINES = 1;

/**
 * Builds a metric atomically: in one transaction it replaces the table (or view), counts its rows and records it
 * in the state schema. On any error the transaction is rolled back, so the previous table stays as it was.
 */
export async function materializeMetric(
  db: Database,
  metric: Metric,
  existing: CatalogEntry | undefined,
  record: Omit<BuildRecord, 'name' | 'file' | 'materialized' | 'rows'>,
): Promise<{ rows: number | null }> {
  const target = quoteIdent(metric.name);
  const kind = metric.materialized === 'view' ? 'VIEW' : 'TABLE';
  await db.run('BEGIN TRANSACTION');
  try {
    if (existing && existing.type !== metric.materialized) {
      await db.run(`DROP ${existing.type === 'view' ? 'VIEW' : 'TABLE'} ${quoteIdent(existing.name)}`);
    }
    await db.run(`CREATE OR REPLACE ${kind} ${target} AS\n${trimStatement(metric.sql)}\n`);
    let rows: number | null = null;
    if (kind === 'TABLE') {
      const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${target}`);
      rows = row?.n ?? 0;
    }
    await db.run(recordMetricSql({ ...record, name: metric.name, file: metric.file, materialized: metric.materialized, rows }));
    await db.run('COMMIT');
    return { rows };
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
