// A metric's first measure over time as a small inline SVG line: drawn when the site is written, no script, no network.
import type { CatalogTrend } from '@duckmetrics/core';
import { formatCount } from './internal/format.ts';
import type { SafeHtml } from './internal/html.ts';
import { html, raw } from './internal/html.ts';

const W = 640;
const H = 170;
const PAD = { left: 64, right: 12, top: 12, bottom: 26 };

/** The chart of one trend, with its first and last period and its lowest and highest value as labels. */
export function trendChart(trend: CatalogTrend): SafeHtml {
  const values = trend.points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (trend.points.length < 2 || values.length === 0) return html``;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i: number): number => PAD.left + (i * (W - PAD.left - PAD.right)) / (trend.points.length - 1);
  const y = (v: number): number => PAD.top + (hi === lo ? 0.5 : (hi - v) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  // A period with no rows breaks the line rather than drawing it through zero.
  const segments: string[][] = [[]];
  trend.points.forEach((p, i) => {
    if (p.value === null || !Number.isFinite(p.value)) segments.push([]);
    else segments[segments.length - 1]!.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  const lines = segments.filter((s) => s.length > 0).map((s) => (s.length === 1 ? `<circle cx="${s[0]!.split(',')[0]}" cy="${s[0]!.split(',')[1]}" r="2"/>` : `<polyline points="${s.join(' ')}"/>`)).join('');
  const first = trend.points[0]!.period;
  const last = trend.points[trend.points.length - 1]!.period;
  return html`<figure class="trend" data-measure="${trend.measure}" data-grain="${trend.grain}">
<figcaption><strong>${trend.measure}</strong> per ${trend.grain} <span class="muted">· ${trend.points.length} periods</span></figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${trend.measure} per ${trend.grain}, from ${first} to ${last}">
<line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>
<text class="label" x="${PAD.left - 6}" y="${y(hi) + 4}" text-anchor="end">${label(hi)}</text>
<text class="label" x="${PAD.left - 6}" y="${y(lo) + 4}" text-anchor="end">${label(lo)}</text>
<text class="label" x="${PAD.left}" y="${H - 8}">${first}</text>
<text class="label" x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${last}</text>
<g class="series">${raw(lines)}</g>
</svg>
</figure>`;
}

function label(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? formatCount(Math.round(v)) : String(Math.round(v * 100) / 100);
}
