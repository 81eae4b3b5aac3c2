import { describe, expect, it } from 'vitest';
import { renderCatalogSite } from '../src/index.ts';
import { metric, sampleCatalog } from './fixture-catalog.ts';

const versions = [
  { at: '2026-01-01T00:00:00.000Z', rows: 3, changed: 0, added: 3, removed: 0 },
  { at: '2026-02-01T00:00:00.000Z', rows: 4, changed: 1, added: 1, removed: 0 },
  { at: '2026-03-01T00:00:00.000Z', rows: 3, changed: 1, added: 0, removed: 1 },
];

const detail = (html: string, name: string): string => {
  const start = html.indexOf(`<article class="detail" id="metric-${name}"`);
  return html.slice(start, html.indexOf('</article>', start));
};

describe('the versions chart of a snapshotted metric', () => {
  it('draws one column per version with its rows and its changed, new and removed keys, all escaped, no script or network', () => {
    const catalog = sampleCatalog();
    catalog.metrics.push(metric('ltv', { snapshot: { key: ['customer_unique_id'], keep: '400 days', versions } }));
    catalog.metrics.push(metric('evil', { snapshot: { key: ['<script>alert(1)</script>'], versions: [] } }));
    const html = renderCatalogSite(catalog)['index.html'];
    const ltv = detail(html, 'ltv');
    expect(ltv).toContain('<h3>Versions</h3>');
    expect(ltv).toContain('versions per <span class="mono">customer_unique_id</span> · versions closed more than 400 days ago are deleted');
    expect(ltv.match(/<g class="version">/g)).toHaveLength(3);
    expect(ltv).toContain('<title>2026-02-01 00:00 UTC: 4 rows; 1 changed, 1 new, 0 removed</title>');
    expect(ltv.match(/<rect class="bar-changed"/g)).toHaveLength(2);
    expect(ltv.match(/<rect class="bar-removed"/g)).toHaveLength(1);
    expect(ltv).toContain('3 versions shown');
    const evil = detail(html, 'evil');
    expect(evil).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(evil).toContain('No version yet');
    expect(detail(html, 'revenue')).not.toContain('<h3>Versions</h3>');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('without a key, says every build is a version and counts rows added and closed', () => {
    const catalog = sampleCatalog();
    catalog.metrics.push(metric('all_rows', { snapshot: { key: [], versions: versions.slice(0, 2) } }));
    const all = detail(renderCatalogSite(catalog)['index.html'], 'all_rows');
    expect(all).toContain('every build a version of all rows');
    expect(all).toContain('<title>2026-02-01 00:00 UTC: 4 rows; 1 row added, 0 closed</title>');
  });
});
