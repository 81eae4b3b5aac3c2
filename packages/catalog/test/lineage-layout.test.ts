import { describe, expect, it } from 'vitest';
import { layoutLineage } from '../src/index.ts';
import { curve } from '../src/lineage-svg.ts';
import { sampleCatalog } from './fixture-catalog.ts';

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
    const { nodes, width, height } = layoutLineage(sampleCatalog());
    for (const n of nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.y - n.height / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(width);
      expect(n.y + n.height / 2).toBeLessThanOrEqual(height);
    }
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
      }
    }
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
