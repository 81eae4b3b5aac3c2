import type { SafeHtml } from './internal/html.ts';
import { html } from './internal/html.ts';
import type { LineageLayout, LineageNode, LineagePoint } from './lineage-layout.ts';
import { LINEAGE_FONT_SIZE } from './lineage-layout.ts';

/** The fragment (`#…`) that selects a metric's or a source's detail on the page. */
export function detailId(kind: 'metric' | 'source', name: string): string {
  return `${kind}-${name}`;
}

/** A link to a metric's or a source's detail. */
export function detailHref(kind: 'metric' | 'source', name: string): string {
  return `#${encodeURIComponent(detailId(kind, name))}`;
}

/**
 * Draws a laid-out lineage as static SVG: one `.node` per table (a link to its detail, coloured by status), one
 * `.edge` path per edge with an arrow head. Every name is escaped.
 *
 * @example
 * ```ts
 * const svg = lineageSvg(layoutLineage(catalog)).__html; // '<svg class="lineage" …'
 * ```
 */
export function lineageSvg(layout: LineageLayout, tooltips: ReadonlyMap<string, string> = new Map()): SafeHtml {
  const edges = layout.edges.map(
    (e) => html`<path class="edge" data-from="${e.from}" data-to="${e.to}" d="${curve(e.points)}" marker-end="url(#arrow)"/>`,
  );
  const nodes = layout.nodes.map((n) => node(n, tooltips.get(n.name) ?? n.name));
  return html`<svg class="lineage" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="group" aria-label="Lineage: ${layout.nodes.length} tables, ${layout.edges.length} edges">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker></defs>
<g class="edges">${edges}</g>
<g class="nodes">${nodes}</g>
</svg>`;
}

function node(n: LineageNode, tooltip: string): SafeHtml {
  const x = n.x - n.width / 2;
  const y = n.y - n.height / 2;
  const cls = `node kind-${n.kind}${n.status ? ` st-${n.status}` : ''}`;
  const body = html`<title>${tooltip}</title><rect x="${x}" y="${y}" width="${n.width}" height="${n.height}" rx="${n.kind === 'source' ? n.height / 2 : 5}"/><text x="${n.x}" y="${n.y}" dy="0.35em" text-anchor="middle" font-size="${LINEAGE_FONT_SIZE}">${n.name}</text>`;
  if (n.kind === 'table') return html`<g class="${cls}" data-name="${n.name}" data-kind="table">${body}</g>`;
  return html`<a class="${cls}" href="${detailHref(n.kind, n.name)}" data-name="${n.name}" data-kind="${n.kind}">${body}</a>`;
}

/** A smooth path through the points (a uniform B-spline, like d3's curveBasis). */
export function curve(points: LineagePoint[]): string {
  const p = points;
  if (p.length === 0) return '';
  const f = (n: number): string => String(Math.round(n * 10) / 10);
  const first = p[0]!;
  if (p.length === 1) return `M${f(first.x)},${f(first.y)}`;
  if (p.length === 2) return `M${f(first.x)},${f(first.y)}L${f(p[1]!.x)},${f(p[1]!.y)}`;
  let d = `M${f(first.x)},${f(first.y)}L${f((5 * first.x + p[1]!.x) / 6)},${f((5 * first.y + p[1]!.y) / 6)}`;
  const bezier = (a: LineagePoint, b: LineagePoint, c: LineagePoint): string =>
    `C${f((2 * a.x + b.x) / 3)},${f((2 * a.y + b.y) / 3)},${f((a.x + 2 * b.x) / 3)},${f((a.y + 2 * b.y) / 3)},${f((a.x + 4 * b.x + c.x) / 6)},${f((a.y + 4 * b.y + c.y) / 6)}`;
  for (let i = 2; i < p.length; i++) d += bezier(p[i - 2]!, p[i - 1]!, p[i]!);
  const a = p[p.length - 2]!;
  const b = p[p.length - 1]!;
  return d + bezier(a, b, b) + `L${f(b.x)},${f(b.y)}`;
}
