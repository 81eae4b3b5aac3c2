import dagre from '@dagrejs/dagre';
import type { Catalog } from '@duckmetrics/core';
import type { MetricStatus } from './metric-status.ts';
import { metricStatus } from './metric-status.ts';

/** A point in the graph's coordinate space (pixels). */
export interface LineagePoint {
  x: number;
  y: number;
}

/** A placed node: a source table, a metric, or a table read by a metric that is neither (e.g. a typo). */
export interface LineageNode {
  name: string;
  kind: 'source' | 'metric' | 'table';
  /** Metrics: their display status; sources and other tables: `null`. */
  status: MetricStatus | null;
  /** Centre of the node. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A placed edge: data flows `from` → `to`, along `points` (at least two). */
export interface LineageEdge {
  from: string;
  to: string;
  points: LineagePoint[];
}

/** The lineage graph with positions, ready to draw. */
export interface LineageLayout {
  width: number;
  height: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Node labels are drawn in a 12px monospace font, so their width is known without a browser. */
export const LINEAGE_FONT_SIZE = 12;
const CHAR_WIDTH = LINEAGE_FONT_SIZE * 0.6;
const NODE_HEIGHT = 30;
const NODE_PADDING = 14;

/**
 * Lays out the lineage left to right with dagre (sources on the left, each metric right of what it reads).
 * Pure and deterministic: same catalog, same layout. Edges are deduplicated; a table that an edge names but the
 * catalog does not list becomes a node of kind `table`.
 *
 * @example
 * ```ts
 * const { width, height, nodes, edges } = layoutLineage(await engine.catalog());
 * ```
 */
export function layoutLineage(catalog: Catalog): LineageLayout {
  const nodes = new Map<string, Omit<LineageNode, 'x' | 'y' | 'width' | 'height'>>();
  for (const s of catalog.sources) nodes.set(key(s.name), { name: s.name, kind: 'source', status: null });
  for (const m of catalog.metrics) nodes.set(key(m.name), { name: m.name, kind: 'metric', status: metricStatus(m).status });
  const edges = new Map<string, { from: string; to: string }>();
  for (const e of catalog.edges) {
    for (const name of [e.from, e.to]) if (!nodes.has(key(name))) nodes.set(key(name), { name, kind: 'table', status: null });
    const from = nodes.get(key(e.from))!.name;
    const to = nodes.get(key(e.to))!.name;
    edges.set(`${key(from)}\u0000${key(to)}`, { from, to });
  }

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 64, edgesep: 8, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, n] of nodes) g.setNode(id, { width: labelWidth(n.name), height: NODE_HEIGHT });
  for (const e of edges.values()) g.setEdge(key(e.from), key(e.to));
  if (nodes.size > 0) dagre.layout(g);

  const placed: LineageNode[] = [...nodes].map(([id, n]) => {
    const label = g.node(id) as { x: number; y: number; width: number; height: number };
    return { ...n, x: round(label.x), y: round(label.y), width: label.width, height: label.height };
  });
  const placedEdges: LineageEdge[] = [...edges.values()].map((e) => {
    const points = (g.edge(key(e.from), key(e.to)) as { points?: LineagePoint[] } | undefined)?.points ?? [];
    return { ...e, points: points.map((p) => ({ x: round(p.x), y: round(p.y) })) };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes: placed, edges: placedEdges };
}

function key(name: string): string {
  return name.toLowerCase();
}

function labelWidth(name: string): number {
  return Math.max(72, Math.ceil(name.length * CHAR_WIDTH) + 2 * NODE_PADDING);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
