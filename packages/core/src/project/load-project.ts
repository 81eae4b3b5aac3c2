// A project as the engine sees it: every metric file read, its SQL parsed, the name and SQL rules applied, the graph.
import type { ResolvedConfig } from '../plugins/plugin.ts';
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import { loadMetricFile } from '../metrics/metric-loader.ts';
import type { MetricValidation } from '../results.ts';
import type { StateView } from '../state/state-view.ts';
import { buildGraph, topologicalOrder } from './graph.ts';
import type { MetricGraph } from './graph.ts';
import { addNameRules } from './name-rules.ts';
import { parseMetricSql } from './sql-parse.ts';
import type { ParsedSql } from './sql-parse.ts';
import { sqlShapeDiagnostic } from './sql-rules.ts';
import { addSandboxRules } from './sandbox-rules.ts';

/** Every metric file of a project, with what is known about it before any plugin validated it. */
export interface Project extends MetricGraph {
  /** Result entry per file (diagnostics are added to it as validation goes on). */
  entries: Map<string, MetricValidation>;
  /** Every metric that parsed, in build order (metrics on a cycle and behind one come last, in name order). */
  order: Metric[];
  /** Metrics on a cycle, with the cycle's path. */
  cycles: Map<Metric, Metric[]>;
  /** DuckDB's parse of each metric's SQL. */
  parsed: Map<Metric, ParsedSql>;
}

/**
 * Reads the metric files at `paths`, parses every metric's SQL in one query, and applies core's own rules (unique
 * names, no source shadowed, exactly one SELECT, known tables, no cycles) as diagnostics on the entries.
 */
export async function loadProject(config: ResolvedConfig, db: Database, state: StateView, paths: readonly string[]): Promise<Project> {
  const files = await Promise.all(paths.map((p) => loadMetricFile(p, config.root)));
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
  const parsed = await parseMetricSql(db, metrics);
  addNameRules(metrics, errorsOf, state);
  for (const m of metrics) {
    const shape = await sqlShapeDiagnostic(db, m, parsed.get(m));
    if (shape) errorsOf(m).push(shape);
  }
  if (config.sandbox) await addSandboxRules(db, metrics, parsed, errorsOf);

  const graph = buildGraph(metrics, parsed, state, errorsOf);
  const { order, cycles } = topologicalOrder(metrics, graph.upstream);
  for (const [m, path] of cycles) {
    errorsOf(m).push({
      severity: 'error', code: 'METRIC_CYCLE', file: m.file, line: m.sqlLine, column: 1,
      message: `metrics read each other in a cycle: ${path.map((p) => p.name).join(' → ')}`,
      hint: 'a metric cannot depend on itself, directly or through others; remove one of these references',
    });
  }
  const placed = new Set(order);
  const blocked = metrics.filter((m) => !placed.has(m)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { entries, order: [...order, ...blocked], cycles, parsed, ...graph };
}
