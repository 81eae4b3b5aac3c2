// The catalog's chart of a metric's first measure over time, and the mark of an unpublished preview.
import { describe, expect, it } from 'vitest';
import { renderCatalogSite } from '../src/index.ts';
import { metric, sampleCatalog } from './fixture-catalog.ts';

const trend = { measure: 'revenue', grain: 'month' as const, points: [
  { period: '2026-01-01', value: 10 }, { period: '2026-02-01', value: 30 }, { period: '2026-03-01', value: null },
  { period: '2026-04-01', value: 20 }, { period: '2026-05-01', value: 25 },
] };

function pageWith(overrides: Parameters<typeof metric>[1]): string {
  const catalog = sampleCatalog();
  catalog.metrics = catalog.metrics.map((m) => (m.name === 'revenue' ? metric('revenue', { ...m, ...overrides }) : m));
  return renderCatalogSite(catalog)['index.html'];
}
const detail = (html: string): string => html.slice(html.indexOf('<article class="detail" id="metric-revenue"'), html.indexOf('</article>', html.indexOf('<article class="detail" id="metric-revenue"')));

describe('trend chart', () => {
  it('draws the measure per period as an inline SVG line, broken where a period has no rows, with its range as labels', () => {
    const html = detail(pageWith({ trend }));
    expect(html).toContain('<figure class="trend" data-measure="revenue" data-grain="month">');
    expect(html).toContain('<strong>revenue</strong> per month <span class="muted">· 5 periods</span>');
    const lines = html.match(/<polyline points="([^"]+)"\/>/g)!;
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.split(' ').length)).toEqual([2 + 1, 2 + 1]);
    for (const label of ['>30<', '>10<', '>2026-01-01<', '>2026-05-01<']) expect(html).toContain(label);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('draws nothing without a trend, or with fewer than two periods', () => {
    expect(detail(pageWith({}))).not.toContain('class="trend"');
    expect(detail(pageWith({ trend: { ...trend, points: [trend.points[0]!] } }))).not.toContain('class="trend"');
  });

  it('escapes the measure name', () => {
    expect(detail(pageWith({ trend: { ...trend, measure: '<b>x</b>' } }))).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('marks a metric with an unpublished preview', () => {
    expect(detail(pageWith({ unpublishedPreview: true }))).toContain('unpublished preview');
    expect(detail(pageWith({}))).not.toContain('unpublished preview');
  });
});
