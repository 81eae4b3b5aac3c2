// The catalog verb: everything known about the project as plain data, for the docs site (`duckmetrics docs`).
import type { Catalog, CatalogColumn, CatalogMetric, CatalogSource } from '../catalog.ts';
import { readColumns, readSchemaTables } from '../database/introspection.ts';
import { SNAPSHOT_SCHEMA } from '../project/namespace.ts';
import { readSnapshotHistory } from '../snapshots/snapshot-history.ts';
import type { Session } from '../engine/session.ts';
import { nextDue } from '../project/cron.ts';
import { readLastBuilds } from '../state/builds.ts';
import { readPlan } from '../state/plans.ts';
import { readLastRuns } from '../state/runs.ts';
import { readStateView } from '../state/state-view.ts';
import { validateProject } from './validate.ts';
import { catalogTrends } from './catalog-trends.ts';

/** Validates the project, then gathers metrics, sources, columns, last runs, due times and lineage into a `Catalog`. */
export async function catalogProject(session: Session, now: Date): Promise<Catalog> {
  const config = await session.config();
  const db = await session.sandboxedDb();
  const state = await readStateView(db, { lastCurrent: true });
  const project = await validateProject(session, db, state);
  const [lastRuns, lastBuilds, columnRows, plan] = await Promise.all([readLastRuns(db), readLastBuilds(db), readColumns(db), readPlan(db)]);
  const trends = await catalogTrends(session, db, project.order, (m) => state.tables.has(m.name.toLowerCase()) && project.entries.get(m.file)!.errors.length === 0);
  const previewed = new Set((plan?.metrics ?? []).filter((p) => p.status === 'ready').map((p) => p.name.toLowerCase()));
  const lastCurrent = state.lastCurrent;
  const sourceRows = [...state.sources].map(([key, s]) => ({ key, ...s })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const columnsOf = new Map<string, Array<{ c: string; type: string }>>();
  for (const r of columnRows) columnsOf.set(r.table.toLowerCase(), [...(columnsOf.get(r.table.toLowerCase()) ?? []), { c: r.column, type: r.type }]);
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
      upstream, downstream: [], status: entry.status, errors: entry.errors, built: state.tables.has(key),
      lastBuild: lastBuilds.get(key) ?? null, lastRun: lastRuns.get(key) ?? null, ...(previewed.has(key) ? { unpublishedPreview: true } : {}),
      ...(trends.has(m) ? { trend: trends.get(m)! } : {}),
    };
  });
  for (const m of metrics) m.downstream = downstreamOf.get(m.name.toLowerCase()) ?? [];
  // Versions over time, computed now (the site is one static file): only for metrics whose snapshot table exists.
  const snapshotted = await readSchemaTables(db, SNAPSHOT_SCHEMA);
  for (const [i, m] of project.order.entries()) {
    if (!m.snapshot) continue;
    const versions = snapshotted.has(m.name.toLowerCase()) ? await readSnapshotHistory(db, m.name, m.snapshot.key) : [];
    metrics[i]!.snapshot = { key: m.snapshot.key, ...(m.snapshot.keep === undefined ? {} : { keep: m.snapshot.keep }), versions };
  }

  const sources: CatalogSource[] = sourceRows
    .filter((s) => state.tables.has(s.key))
    .map((s) => ({
      name: s.name, file: s.file, ...(s.plugin === null ? {} : { origin: s.plugin }), rows: s.rows, loadedAt: s.loadedAt,
      columns: (columnsOf.get(s.key) ?? []).map((c) => ({ name: c.c, type: c.type, checks: [] })),
      downstream: downstreamOf.get(s.key) ?? [],
    }));
  return { generatedAt: now.toISOString(), project: { root: config.root, database: config.database, timezone: config.timezone }, metrics, sources, edges };
}
