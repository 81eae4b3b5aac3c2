import type { Catalog, CatalogColumn, CatalogMetric, CatalogSource } from '../catalog.ts';
import type { ResolvedConfig } from '../config/config.ts';
import type { Database } from '../database/database.ts';
import { readLastCurrent, readLastRuns } from '../state/runs.ts';
import { nextDue } from '../project/cron.ts';
import { STATE_SCHEMA } from '../state/state-store.ts';
import type { ProjectValidation } from './validate.ts';

/** Gathers metrics, sources, columns, last runs, due times and lineage into a `Catalog`. */
export async function buildCatalog(db: Database, project: ProjectValidation, config: ResolvedConfig, now: Date): Promise<Catalog> {
  const [lastRuns, lastCurrent, columnRows, sourceRows] = await Promise.all([
    readLastRuns(db),
    readLastCurrent(db),
    db.all<{ t: string; c: string; type: string }>(
      `SELECT lower(table_name) AS t, column_name AS c, data_type AS type FROM information_schema.columns
       WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position`,
    ),
    db.all<{ key: string; name: string; file: string | null; rows: number | null; ms: number | null }>(
      `SELECT key, name, file, rows, epoch_ms(loaded_at) AS ms FROM ${STATE_SCHEMA}.sources ORDER BY name`,
    ),
  ]);
  const columnsOf = new Map<string, Array<{ c: string; type: string }>>();
  for (const r of columnRows) columnsOf.set(r.t, [...(columnsOf.get(r.t) ?? []), r]);
  const metricNames = new Map(project.order.map((m) => [m.name.toLowerCase(), m.name]));
  const edges: Catalog['edges'] = [];
  const downstreamOf = new Map<string, string[]>();

  const metrics: CatalogMetric[] = project.order.map((m) => {
    const key = m.name.toLowerCase();
    const entry = project.entries.get(m.file)!;
    const actual = columnsOf.get(key) ?? [];
    const documented = new Map(m.columns.map((c) => [c.name.toLowerCase(), c]));
    const names = actual.length > 0 ? actual.map((a) => a.c) : m.columns.map((c) => c.name);
    const columns: CatalogColumn[] = names.map((name) => {
      const col: CatalogColumn = { name, checks: m.checks.filter((ch) => ch.column?.toLowerCase() === name.toLowerCase()).map((ch) => ch.name) };
      const type = actual.find((a) => a.c === name)?.type;
      if (type !== undefined) col.type = type;
      const description = documented.get(name.toLowerCase())?.description;
      if (description !== undefined) col.description = description;
      return col;
    });
    const upstream = (project.reads.get(m) ?? []).map((r) => metricNames.get(r) ?? sourceRows.find((s) => s.key === r)?.name ?? r);
    for (const u of upstream) {
      edges.push({ from: u, to: m.name });
      downstreamOf.set(u.toLowerCase(), [...(downstreamOf.get(u.toLowerCase()) ?? []), m.name]);
    }
    let due: Date | null = null;
    try {
      due = nextDue(m.schedule, lastCurrent.get(key) ?? null, config.timezone);
    } catch {
      due = null;
    }
    return {
      name: m.name, file: m.file, description: m.description, owner: m.owner, schedule: m.schedule,
      nextDue: due === null ? null : due.toISOString(), tags: m.tags, materialized: m.materialized, sql: m.sql, columns,
      checks: m.checks.filter((c) => c.column === undefined || c.type === 'unique_combination').map((c) => ({ name: c.name, type: c.type, severity: c.severity, ...(c.column === undefined ? {} : { column: c.column }) })),
      upstream, downstream: [], status: entry.status, errors: entry.errors, built: project.catalog.has(key), lastRun: lastRuns.get(key) ?? null,
    };
  });
  for (const m of metrics) m.downstream = downstreamOf.get(m.name.toLowerCase()) ?? [];

  const sources: CatalogSource[] = sourceRows
    .filter((s) => project.catalog.has(s.key))
    .map((s) => ({
      name: s.name, file: s.file, rows: s.rows, loadedAt: s.ms === null ? null : new Date(s.ms).toISOString(),
      columns: (columnsOf.get(s.key) ?? []).map((c) => ({ name: c.c, type: c.type, checks: [] })),
      downstream: downstreamOf.get(s.key) ?? [],
    }));
  return { generatedAt: now.toISOString(), project: { root: config.root, database: config.database, timezone: config.timezone }, metrics, sources, edges };
}
