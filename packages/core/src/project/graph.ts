// The dependency graph: which metrics each metric reads (inferred from its SQL, `depends_on` and relationships
// checks), the build order, and the cycles.
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { Metric } from '../metrics/metric.ts';
import { toFileDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { StateView } from '../state/state-view.ts';
import { isSourceName, SNAPSHOT_SCHEMA } from './namespace.ts';
import { METRIC_NAME_PATTERN } from '../metrics/metric-schema.ts';
import type { ParsedSql } from './sql-parse.ts';

/** Edges of the graph, both ways, and every table name each metric reads. */
export interface MetricGraph {
  /** Metrics each metric reads. */
  upstream: Map<Metric, Metric[]>;
  /** Metrics that read each metric. */
  downstream: Map<Metric, Metric[]>;
  /** Lower-case names of every table each metric reads (sources and metrics, `depends_on` included). */
  reads: Map<Metric, string[]>;
}

/**
 * Resolves each metric's table references to metrics or source tables; a name that is neither becomes a
 * `TABLE_UNKNOWN` diagnostic with a did-you-mean.
 */
export function buildGraph(
  metrics: Metric[],
  parsed: Map<Metric, ParsedSql>,
  state: Pick<StateView, 'tables' | 'metrics' | 'sources'>,
  errorsOf: (m: Metric) => Diagnostic[],
): MetricGraph {
  // A source is a table that exists and is not a metric duckmetrics built (or is one a plugin loaded).
  const isSource = (key: string): boolean => state.tables.has(key) && isSourceName(key, state);
  const byName = new Map<string, Metric>();
  for (const m of metrics) {
    const key = m.name.toLowerCase();
    const shadowsSource = isSource(key);
    if (!byName.has(key) && !shadowsSource) byName.set(key, m);
  }
  const known = [...new Set([...metrics.map((m) => m.name), ...[...state.tables.values()].filter((c) => isSource(c.name.toLowerCase())).map((c) => c.name)])];
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
    // `snapshots.x` reads the versions of metric x: an edge on x, which must keep them.
    for (const ref of (parsed.get(m)?.tables ?? []).filter((t) => t.schema?.toLowerCase() === SNAPSHOT_SCHEMA && t.catalog === undefined)) {
      const metric = byName.get(ref.name.toLowerCase());
      if (metric?.snapshot) {
        if (metric !== m) ups.add(metric);
        // Its fingerprint is the metric's: a new version rebuilds the reader.
        names.add(metric.name.toLowerCase());
        continue;
      }
      const snapshotted = metrics.filter((x) => x.snapshot).map((x) => x.name);
      const suggestion = didYouMean(ref.name, snapshotted);
      errorsOf(m).push(toFileDiagnostic(m, {
        code: metric ? 'SNAPSHOT_NOT_SET' : 'TABLE_UNKNOWN',
        message: metric
          ? `reads ${SNAPSHOT_SCHEMA}.${ref.name}, the versions of metric ${metric.name}, which does not keep them (no snapshot: in ${metric.file})`
          : `reads ${SNAPSHOT_SCHEMA}.${ref.name}, but there is no metric "${ref.name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        hint: metric
          ? `add "snapshot: true" (or snapshot: { key: [<columns>] }) to ${metric.file}; its next build writes the first version`
          : suggestion ? `change it to ${SNAPSHOT_SCHEMA}.${suggestion}` : `${SNAPSHOT_SCHEMA}.<metric> holds the versions of a metric with snapshot: set (docs/snapshots.md)`,
        ...(ref.offset === undefined ? {} : { sqlOffset: ref.offset }),
      }));
    }
    for (const ref of refs) {
      const key = ref.name.toLowerCase();
      const metric = byName.get(key);
      if (metric) ups.add(metric);
      else if (!isSource(key)) {
        if (names.has(key)) continue;
        const suggestion = didYouMean(ref.name, known);
        const declared = 'declared' in ref;
        errorsOf(m).push(toFileDiagnostic(m, {
          code: 'TABLE_UNKNOWN',
          message: `${declared ? 'depends_on names' : 'reads'} table "${ref.name}", which is neither a source nor a metric${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          hint: suggestion
            ? `change it to ${suggestion}`
            : `if it is data, put ${ref.name}.csv in data/ and run \`duckmetrics build\`; if it is a metric not written yet, start it with \`duckmetrics new ${METRIC_NAME_PATTERN.test(ref.name) ? ref.name : '<name>'}\``,
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

/**
 * Orders metrics so every metric comes after the metrics it reads (Kahn's algorithm; ties by name, so the order
 * does not depend on file names). Metrics on a cycle are left out and returned as `cycles`, each as a path
 * `[a, b, a]`.
 */
export function topologicalOrder(metrics: readonly Metric[], upstream: Map<Metric, Metric[]>): { order: Metric[]; cycles: Map<Metric, Metric[]> } {
  const downstream = new Map<Metric, Metric[]>(metrics.map((m) => [m, []]));
  const waiting = new Map<Metric, number>();
  for (const m of metrics) {
    const ups = upstream.get(m) ?? [];
    waiting.set(m, ups.length);
    for (const u of ups) downstream.get(u)?.push(m);
  }
  const byName = (a: Metric, b: Metric): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ready = metrics.filter((m) => waiting.get(m) === 0).sort(byName);
  const order: Metric[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    let added = false;
    for (const d of downstream.get(next) ?? []) {
      const left = waiting.get(d)! - 1;
      waiting.set(d, left);
      if (left === 0) {
        ready.push(d);
        added = true;
      }
    }
    if (added) ready.sort(byName);
  }
  const cycles = new Map<Metric, Metric[]>();
  const placed = new Set(order);
  const stuck = new Set(metrics.filter((m) => !placed.has(m)));
  for (const m of stuck) {
    const path = cycleThrough(m, upstream, stuck);
    if (path) cycles.set(m, path);
  }
  // Metrics downstream of a cycle but not on one stay out of `order`; the caller reports them as blocked.
  return { order, cycles };
}

/** A shortest path m → … → m along "reads from" edges inside `within`, or undefined when m is not on a cycle. */
function cycleThrough(start: Metric, upstream: Map<Metric, Metric[]>, within: Set<Metric>): Metric[] | undefined {
  const previous = new Map<Metric, Metric>();
  const queue: Metric[] = [start];
  const seen = new Set<Metric>();
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of upstream.get(current) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: Metric | undefined = current; at && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        // `path` follows "reads from" edges; show it in the direction data flows.
        return [...path, start].reverse();
      }
      if (seen.has(next)) continue;
      seen.add(next);
      previous.set(next, current);
      queue.push(next);
    }
  }
  return undefined;
}
