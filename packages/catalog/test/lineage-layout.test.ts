import { describe, expect, it } from 'vitest';
import type { LineageLayout } from '../src/index.ts';
import { layoutLineage } from '../src/index.ts';
import { curve } from '../src/lineage-svg.ts';
import { sampleCatalog } from './fixture-catalog.ts';
import { generatedCatalog } from './generated-catalog.ts';

/** The names of nodes that overlap one another or stick out of the drawing. */
function misplaced(layout: LineageLayout): string[] {
  const bad: string[] = [];
  const { nodes, width, height } = layout;
  for (const n of nodes) {
    if (n.x - n.width / 2 < 0 || n.y - n.height / 2 < 0 || n.x + n.width / 2 > width || n.y + n.height / 2 > height) bad.push(`${n.name} outside`);
  }
  // Sorted by left edge, each node is compared only with those that start before it ends (a sweep, not n²).
  const byX = [...nodes].sort((a, b) => a.x - a.width / 2 - (b.x - b.width / 2));
  for (let i = 0; i < byX.length; i++) {
    const a = byX[i]!;
    for (let j = i + 1; j < byX.length && byX[j]!.x - byX[j]!.width / 2 < a.x + a.width / 2; j++) {
      const b = byX[j]!;
      if (Math.abs(a.y - b.y) < (a.height + b.height) / 2) bad.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return bad;
}

describe('layoutLineage', () => {
  it('places every source and metric once and every edge once, left to right', () => {
    const catalog = sampleCatalog();
    catalog.edges.push({ from: 'orders', to: 'revenue' }); // a duplicate is drawn once
    const layout = layoutLineage(catalog);
    expect(layout.nodes.map((n) => `${n.kind}:${n.name}`).sort()).toEqual(
      ['metric:order_count', 'metric:revenue', 'metric:top_customers', 'source:customers', 'source:orders'],
    );
    expect(layout.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['customers>revenue', 'orders>order_count', 'orders>revenue', 'revenue>top_customers']);
    const at = new Map(layout.nodes.map((n) => [n.name, n]));
    for (const e of layout.edges) {
      const from = at.get(e.from)!;
      const to = at.get(e.to)!;
      expect(from.x, `${e.from} left of ${e.to}`).toBeLessThan(to.x);
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(e.points[0]!.x).toBeCloseTo(from.x + from.width / 2, 0);
      expect(e.points.at(-1)!.x).toBeCloseTo(to.x - to.width / 2, 0);
    }
  });

  it('keeps nodes apart and inside the drawing', () => {
    expect(misplaced(layoutLineage(sampleCatalog()))).toEqual([]);
  });

  it('lays out 200 metrics as layers, every edge left to right, with no node over another', () => {
    const catalog = generatedCatalog(200);
    const layout = layoutLineage(catalog);
    expect(layout.nodes).toHaveLength(200 + catalog.sources.length);
    expect(layout.edges).toHaveLength(new Set(catalog.edges.map((e) => `${e.from}>${e.to}`)).size);
    expect(misplaced(layout)).toEqual([]);
    const at = new Map(layout.nodes.map((n) => [n.name, n]));
    for (const e of layout.edges) expect(at.get(e.from)!.x + at.get(e.from)!.width / 2, `${e.from} > ${e.to}`).toBeLessThan(at.get(e.to)!.x - at.get(e.to)!.width / 2);
    const layers = new Set(layout.nodes.map((n) => n.x));
    expect(layers.size).toBeGreaterThan(4); // chains are drawn as chains, not squashed
  });

  it('is deterministic: the same catalog, even a copy of it, gives the same layout', () => {
    const catalog = generatedCatalog(200);
    const first = layoutLineage(catalog);
    expect(layoutLineage(structuredClone(catalog))).toEqual(first);
    expect(layoutLineage(generatedCatalog(200))).toEqual(first);
  });

  it('gives metrics their status and makes a node for a table the catalog does not list', () => {
    const catalog = sampleCatalog();
    catalog.edges.push({ from: 'ordrs', to: 'order_count' });
    const nodes = new Map(layoutLineage(catalog).nodes.map((n) => [n.name, n]));
    expect(nodes.get('revenue')).toMatchObject({ kind: 'metric', status: 'success' });
    expect(nodes.get('top_customers')).toMatchObject({ kind: 'metric', status: 'success' });
    expect(nodes.get('order_count')).toMatchObject({ kind: 'metric', status: 'failed' });
    expect(nodes.get('orders')).toMatchObject({ kind: 'source', status: null });
    expect(nodes.get('ordrs')).toMatchObject({ kind: 'table', status: null });
  });

  it('sizes a node to its name', () => {
    const catalog = sampleCatalog();
    catalog.sources[0]!.name = 'a_source_with_a_rather_long_name_indeed';
    catalog.edges = [];
    const node = layoutLineage(catalog).nodes.find((n) => n.name.startsWith('a_source'))!;
    expect(node.width).toBeGreaterThan('a_source_with_a_rather_long_name_indeed'.length * 7);
  });

  it('is empty for an empty catalog', () => {
    expect(layoutLineage({ ...sampleCatalog(), metrics: [], sources: [], edges: [] })).toMatchObject({ nodes: [], edges: [] });
  });
});

describe('curve', () => {
  it('draws a line for two points and a smooth path through more', () => {
    expect(curve([{ x: 0, y: 0 }, { x: 10, y: 5 }])).toBe('M0,0L10,5');
    const d = curve([{ x: 0, y: 0 }, { x: 6, y: 6 }, { x: 12, y: 0 }]);
    expect(d.startsWith('M0,0L1,1C')).toBe(true);
    expect(d.endsWith('L12,0')).toBe(true);
  });
});
