import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { EngineEvents } from '../events.ts';
import type { Metric } from '../metrics/metric.ts';
import { findMetricFiles, loadMetricFile } from '../metrics/metric-loader.ts';
import type { HookContext } from '../plugins/plugin.ts';
import type { PluginDriver } from '../plugins/plugin-driver.ts';
import type { MetricValidation, ValidateResult } from '../results.ts';
import { readCatalog, readMetricRegistry } from '../state/state-store.ts';
import type { CatalogEntry, MetricState } from '../state/state-store.ts';
import { didYouMean } from '../did-you-mean.ts';
import { parseMetricSql, topologicalOrder } from '../project/graph.ts';
import type { ParsedSql } from '../project/graph.ts';
import { pluginErrorDiagnostic, sqlErrorDiagnostic, toFileDiagnostic } from '../metrics/metric-diagnostics.ts';
import { restartIfAborted, sqlShapeDiagnostic } from '../project/sql-rules.ts';
import { quoteIdent, quoteLiteral, trimStatement } from '../database/sql.ts';
import type { Check } from '../checks/checks.ts';
import { duckdbErrorText } from '../database/database.ts';
import { errorMessage } from '../errors.ts';
import { metricFrame } from '../metrics/metric-loader.ts';
import { checkedColumns, failingRowsSql } from '../checks/check-sql.ts';

/** A validation pass over the whole project: the public result plus the graph the run needs. */
export interface ProjectValidation {
  result: ValidateResult;
  /** Result entry per file. */
  entries: Map<string, MetricValidation>;
  /** Every metric that parsed, in build order (metrics on a cycle come last, in name order). */
  order: Metric[];
  /** Metrics each metric reads. */
  upstream: Map<Metric, Metric[]>;
  /** Metrics that read each metric. */
  downstream: Map<Metric, Metric[]>;
  /** Lower-case names of every table each metric reads (sources and metrics, `depends_on` included). */
  reads: Map<Metric, string[]>;
  parsed: Map<Metric, ParsedSql>;
  catalog: Map<string, CatalogEntry>;
  registry: Map<string, MetricState>;
}

type Emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => void;

/**
 * Loads every metric file, infers the dependency graph from the SQL, then validates in dependency order: each
 * valid metric with downstream readers is made visible as a view inside a transaction that is rolled back at
 * the end, so `EXPLAIN` of a downstream metric resolves before anything was built.
 */
export async function validateProject(ctx: HookContext, plugins: PluginDriver, db: Database, emit: Emit): Promise<ProjectValidation> {
  const paths = await findMetricFiles(ctx.config.metricsDir);
  emit('validate:start', { files: paths.length });
  const files = await Promise.all(paths.map((p) => loadMetricFile(p, ctx.config.root)));
  const entries = new Map<string, MetricValidation>();
  for (const f of files) {
    entries.set(f.file, {
      name: f.name, file: f.file, status: 'valid',
      errors: f.diagnostics.filter((d) => d.severity === 'error'),
      warnings: f.diagnostics.filter((d) => d.severity === 'warning'),
    });
  }
  const metrics = files.map((f) => f.metric).filter((m): m is Metric => m !== undefined);
  const errorsOf = (m: Metric): Diagnostic[] => entries.get(m.file)!.errors;
  const [catalog, registry, parsed] = await Promise.all([readCatalog(db), readMetricRegistry(db), parseMetricSql(db, metrics)]);
  addNameRules(metrics, errorsOf, catalog, registry);
  for (const m of metrics) {
    const shape = await sqlShapeDiagnostic(db, m, parsed.get(m));
    if (shape) errorsOf(m).push(shape);
  }

  const graph = buildGraph(metrics, parsed, catalog, registry, errorsOf);
  const { order, cycles } = topologicalOrder(metrics, graph.upstream);
  for (const [m, path] of cycles) {
    errorsOf(m).push({
      severity: 'error', code: 'METRIC_CYCLE', file: m.file, line: m.sqlLine, column: 1,
      message: `metrics read each other in a cycle: ${path.map((p) => p.name).join(' → ')}`,
      hint: 'a metric cannot depend on itself, directly or through others; remove one of these references',
    });
  }
  const blocked = metrics.filter((m) => !order.includes(m)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const buildOrder = [...order, ...blocked];

  await db.run('BEGIN TRANSACTION');
  let current = 0;
  const replayExposed = async (): Promise<void> => {
    for (const m of buildOrder.slice(0, current)) if (errorsOf(m).length === 0) await exposeShape(db, m, catalog.get(m.name.toLowerCase())).catch(() => undefined);
  };
  try {
    for (const metric of buildOrder) {
      current = buildOrder.indexOf(metric);
      const errors = errorsOf(metric);
      const badUpstream = (graph.upstream.get(metric) ?? []).find((u) => errorsOf(u).length > 0);
      if (badUpstream && errors.length === 0 && !cycles.has(metric)) {
        errors.push({
          severity: 'error', code: 'UPSTREAM_INVALID', file: metric.file, line: metric.sqlLine, column: 1,
          message: `reads metric "${badUpstream.name}" (${badUpstream.file}), which is invalid`,
          hint: `fix ${badUpstream.file} first`,
        });
      }
      if (errors.length > 0) continue;
      const entry = entries.get(metric.file)!;
      await plugins.hookSequential('validate', [metric, ctx], async ({ plugin, value, error }) => {
        const found = error ? [pluginErrorDiagnostic(error, metric.file)] : (value ?? []).map((d) => toFileDiagnostic(metric, d, plugin.name));
        // Only a failed statement can abort the transaction: probe only then (validation of thousands stays fast).
        if (found.some((d) => d.severity === 'error')) await restartIfAborted(db, replayExposed);
        for (const d of found) (d.severity === 'error' ? entry.errors : entry.warnings).push(d);
      });
      await addColumnHints(db, entry.errors, graph.reads.get(metric) ?? []);
      if (entry.errors.length === 0 && ((graph.downstream.get(metric)?.length ?? 0) > 0 || metric.checks.length > 0)) {
        const exposed = await exposeShape(db, metric, catalog.get(metric.name.toLowerCase())).then(
          () => true,
          (error: unknown) => {
            entry.errors.push(sqlErrorDiagnostic(metric, error, 1));
            return false;
          },
        );
        if (!exposed) await restartIfAborted(db, replayExposed);
        if (exposed && metric.checks.length > 0) entry.errors.push(...(await validateChecks(db, metric)));
      }
    }
  } finally {
    await db.run('ROLLBACK');
  }

  const results = [...entries.values()];
  for (const r of results) r.status = r.errors.length === 0 ? 'valid' : 'invalid';
  const result: ValidateResult = { ok: results.every((r) => r.status === 'valid'), metrics: results };
  emit('validate:end', result);
  return { result, entries, order: buildOrder, ...graph, parsed, catalog, registry };
}

/** For "column not found" errors, a hint listing the columns of the tables the metric reads, with a did-you-mean. */
async function addColumnHints(db: Database, errors: Diagnostic[], reads: string[]): Promise<void> {
  const pattern = /Referenced column "([^"]+)" not found|does not have a column named "([^"]+)"/;
  const unknown = errors.filter((d) => d.code === 'SQL_BINDER' && pattern.test(d.message));
  if (unknown.length === 0 || reads.length === 0) return;
  const rows = await db.all<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_schema = 'main' AND lower(table_name) IN (${reads.map((r) => quoteLiteral(r)).join(', ')}) ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const r of rows) byTable.set(r.t, [...(byTable.get(r.t) ?? []), r.c]);
  const known = [...byTable.entries()].map(([t, cols]) => `${t}(${cols.join(', ')})`).join('; ');
  for (const d of unknown) {
    const match = pattern.exec(d.message)!;
    const name = match[1] ?? match[2]!;
    const suggestion = didYouMean(name, rows.map((r) => r.c));
    d.hint = `${suggestion ? `did you mean "${suggestion}"? ` : ''}known columns: ${known}`;
  }
}

/** Checks name real columns of the metric and compile against its shape (`EXPLAIN` of each check's SQL). */
async function validateChecks(db: Database, metric: Metric): Promise<Diagnostic[]> {
  const columns = (await db.all<{ name: string }>(`SELECT column_name AS name FROM (DESCRIBE ${quoteIdent(metric.name)})`)).map((r) => r.name);
  const out: Diagnostic[] = [];
  const at = (check: Check, code: string, message: string, hint: string): Diagnostic => {
    const d: Diagnostic = { severity: 'error', code, message, file: metric.file, line: check.at.line, column: check.at.column, hint };
    const frame = metricFrame(metric, check.at);
    if (frame !== undefined) d.frame = frame;
    return d;
  };
  for (const check of metric.checks) {
    const missing = checkedColumns(check).find((c) => !columns.some((k) => k.toLowerCase() === c.toLowerCase()));
    if (missing !== undefined) {
      const suggestion = didYouMean(missing, columns);
      out.push(at(check, 'CHECK_UNKNOWN_COLUMN', `check ${check.name} names column "${missing}", which the metric does not return${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, `columns of ${metric.name}: ${columns.join(', ')}`));
      continue;
    }
    const sql = failingRowsSql(check, metric.name);
    try {
      if ((await db.countStatements(sql)) !== 1) throw new Error('the check must be one condition or one SELECT, not several statements');
      await db.run(`EXPLAIN ${sql}`);
    } catch (error) {
      out.push(at(check, 'CHECK_INVALID', `check ${check.name} does not compile: ${duckdbErrorText(errorMessage(error))}`, check.type === 'sql' ? 'write one SELECT whose rows are the failures; {{ this }} is the metric table' : 'fix the check at this line'));
    }
  }
  return out;
}

/** Makes a metric's columns visible to later statements in the (rolled back) validation transaction. */
async function exposeShape(db: Database, metric: Metric, existing: CatalogEntry | undefined): Promise<void> {
  if (existing?.type === 'table') await db.run(`DROP TABLE ${quoteIdent(existing.name)}`);
  await db.run(`CREATE OR REPLACE VIEW ${quoteIdent(metric.name)} AS\n${trimStatement(metric.sql)}\n`);
}

function buildGraph(
  metrics: Metric[],
  parsed: Map<Metric, ParsedSql>,
  catalog: Map<string, CatalogEntry>,
  registry: Map<string, MetricState>,
  errorsOf: (m: Metric) => Diagnostic[],
): Pick<ProjectValidation, 'upstream' | 'downstream' | 'reads'> {
  const byName = new Map<string, Metric>();
  for (const m of metrics) {
    const key = m.name.toLowerCase();
    const shadowsSource = catalog.has(key) && !registry.has(key);
    if (!byName.has(key) && !shadowsSource) byName.set(key, m);
  }
  const known = [...new Set([...metrics.map((m) => m.name), ...[...catalog.values()].filter((c) => !registry.has(c.name.toLowerCase())).map((c) => c.name)])];
  const upstream = new Map<Metric, Metric[]>();
  const downstream = new Map<Metric, Metric[]>(metrics.map((m) => [m, []]));
  const reads = new Map<Metric, string[]>();
  for (const m of metrics) {
    const refs = [
      ...(parsed.get(m)?.tables ?? []).filter((t) => t.schema === undefined || t.schema.toLowerCase() === 'main'),
      ...m.dependsOn.map((name) => ({ name, offset: undefined, declared: true, line: m.nameLine })),
      ...m.checks.filter((c) => c.type === 'relationships').map((c) => ({ name: String(c.args.to), offset: undefined, declared: true, line: c.at.line })),
    ];
    const names = new Set<string>();
    const ups = new Set<Metric>();
    for (const ref of refs) {
      const key = ref.name.toLowerCase();
      const metric = byName.get(key);
      if (metric) ups.add(metric);
      else if (!catalog.has(key) || registry.has(key)) {
        if (names.has(key)) continue;
        const suggestion = didYouMean(ref.name, known);
        const declared = 'declared' in ref;
        errorsOf(m).push(toFileDiagnostic(m, {
          code: 'TABLE_UNKNOWN',
          message: `${declared ? 'depends_on names' : 'reads'} table "${ref.name}", which is neither a source nor a metric${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          hint: suggestion ? `change it to ${suggestion}` : 'load it with `duckmetrics setup` (a CSV in data/), or add a metric of that name',
          ...(ref.offset === undefined ? {} : { sqlOffset: ref.offset }),
          ...('line' in ref ? { line: ref.line } : {}),
        }));
      }
      names.add(key);
    }
    upstream.set(m, [...ups]);
    for (const u of ups) downstream.get(u)!.push(m);
    reads.set(m, [...names]);
  }
  return { upstream, downstream, reads };
}

function addNameRules(metrics: Metric[], errorsOf: (m: Metric) => Diagnostic[], catalog: Map<string, CatalogEntry>, registry: Map<string, MetricState>): void {
  const byName = new Map<string, Metric[]>();
  for (const m of metrics) byName.set(m.name.toLowerCase(), [...(byName.get(m.name.toLowerCase()) ?? []), m]);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const m of group) {
      const others = group.filter((o) => o !== m).map((o) => o.file);
      errorsOf(m).push({
        severity: 'error', code: 'METRIC_DUPLICATE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is also used by ${others.join(', ')} (names are compared case-insensitively)`,
        hint: 'give each metric a unique metric_name',
      });
    }
  }
  for (const m of metrics) {
    const existing = catalog.get(m.name.toLowerCase());
    if (existing && !registry.has(m.name.toLowerCase())) {
      errorsOf(m).push({
        severity: 'error', code: 'METRIC_SHADOWS_SOURCE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is the name of source table "${existing.name}"; building it would overwrite source data`,
        hint: `rename the metric, e.g. metric_name: ${m.name}_metric`,
      });
    }
  }
}
