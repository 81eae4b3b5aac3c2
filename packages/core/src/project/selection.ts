// Selectors in dbt's syntax, resolved on the metric graph.
import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { didYouMean } from '../did-you-mean.ts';
import { DuckmetricsError } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';

/**
 * Which metrics a command works on, in dbt's selector syntax. Each `select` entry is one or more selectors
 * separated by spaces (union); selectors joined by commas must all match (intersection). Entries are unioned,
 * then `exclude` (same syntax) is removed. No `select` means every metric.
 *
 * Selector forms: `name`, `+name` (with everything upstream), `name+` (with everything downstream), `+name+`,
 * `tag:finance`, `path:metrics/finance/**` (a glob, or a folder prefix, relative to the project root).
 * `+` works on tag and path selectors too (`tag:finance+`).
 *
 * @example
 * ```ts
 * await engine.run({ select: ['+customer_ltv', 'tag:finance'], exclude: ['path:metrics/wip/**'] });
 * ```
 */
export interface Selection {
  select?: string[];
  exclude?: string[];
}

/** The graph a selection is resolved on. */
export interface SelectionGraph {
  metrics: readonly Metric[];
  upstream: Map<Metric, Metric[]>;
  downstream: Map<Metric, Metric[]>;
}

/** Resolves a selection to a set of metrics. Throws `USAGE` for a selector that names nothing known. */
export function selectMetrics(graph: SelectionGraph, selection: Selection): Set<Metric> {
  const chosen = selection.select && selection.select.length > 0 ? resolveAll(graph, selection.select) : new Set(graph.metrics);
  for (const m of resolveAll(graph, selection.exclude ?? [])) chosen.delete(m);
  return chosen;
}

function resolveAll(graph: SelectionGraph, entries: string[]): Set<Metric> {
  const out = new Set<Metric>();
  for (const entry of entries) {
    for (const union of entry.split(/\s+/).filter(Boolean)) {
      const parts = union.split(',').filter(Boolean).map((p) => resolveOne(graph, p));
      const [first, ...rest] = parts;
      for (const m of first ?? []) if (rest.every((s) => s.has(m))) out.add(m);
    }
  }
  return out;
}

function resolveOne(graph: SelectionGraph, selector: string): Set<Metric> {
  const withUp = selector.startsWith('+');
  const withDown = selector.endsWith('+') && selector.length > 1;
  const core = selector.slice(withUp ? 1 : 0, withDown ? -1 : undefined);
  const base = new Set(graph.metrics.filter(matcher(core)));
  if (base.size === 0) {
    const kind = core.startsWith('tag:') ? 'no metric has this tag' : core.startsWith('path:') ? 'no metric file is under this path' : 'no metric has this name';
    const names = core.startsWith('tag:') ? [...new Set(graph.metrics.flatMap((m) => m.tags))].map((t) => `tag:${t}`) : core.startsWith('path:') ? [] : graph.metrics.map((m) => m.name);
    const suggestion = didYouMean(core, names);
    throw new DuckmetricsError('USAGE', `selector "${selector}" matches no metric (${kind})${suggestion ? `; did you mean "${suggestion}"?` : ''}`, {
      hint: 'use a metric_name, tag:<tag> or path:<glob or folder>; duckmetrics list shows every metric with its tags and file',
    });
  }
  const out = new Set(base);
  if (withUp) for (const m of base) closure(m, graph.upstream, out);
  if (withDown) for (const m of base) closure(m, graph.downstream, out);
  return out;
}

let picomatchLib: typeof picomatchType | undefined;
/** `picomatch`, required by the first `path:` selector: it is CommonJS, and importing it cost 11-16 ms of every start. */
const picomatch = (): typeof picomatchType => (picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType);

function matcher(core: string): (m: Metric) => boolean {
  if (core.startsWith('tag:')) {
    const tag = core.slice(4).toLowerCase();
    return (m) => m.tags.some((t) => t.toLowerCase() === tag);
  }
  if (core.startsWith('path:')) {
    const pattern = core.slice(5).replace(/^\.\//, '').replace(/\/$/, '');
    const isGlob = picomatch().scan(pattern).isGlob;
    const match = isGlob ? picomatch()(pattern, { dot: true }) : (file: string) => file === pattern || file.startsWith(`${pattern}/`);
    return (m) => match(m.file);
  }
  const name = core.toLowerCase();
  return (m) => m.name.toLowerCase() === name;
}

function closure(start: Metric, edges: Map<Metric, Metric[]>, into: Set<Metric>): void {
  const seen = new Set<Metric>();
  const stack = [...(edges.get(start) ?? [])];
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    into.add(m);
    stack.push(...(edges.get(m) ?? []));
  }
}
