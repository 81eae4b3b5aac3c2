import { describe, expect, it } from 'vitest';
import { renderCatalogSite } from '../src/index.ts';
import { metric, sampleCatalog } from './fixture-catalog.ts';

const page = (catalog = sampleCatalog()): string => renderCatalogSite(catalog)['index.html'];

describe('renderCatalogSite', () => {
  it('lists every metric and source, each with a detail section and a node in the lineage graph', () => {
    const html = page();
    for (const name of ['revenue', 'top_customers', 'order_count']) {
      expect(html).toContain(`<li class="item" data-kind="metric" data-name="${name}"`);
      expect(html).toContain(`<article class="detail" id="metric-${name}"`);
      expect(html).toContain(`href="#metric-${name}" data-name="${name}" data-kind="metric"`);
    }
    for (const name of ['orders', 'customers']) {
      expect(html).toContain(`<li class="item" data-kind="source" data-name="${name}"`);
      expect(html).toContain(`<article class="detail" id="source-${name}"`);
    }
    expect(html.match(/<path class="edge"/g)).toHaveLength(4);
    expect(html).toContain('<title>shop-metrics · metrics catalog</title>');
  });

  it('shows owner, schedule, next due time, tags, columns with types and checks, and the last run', () => {
    const revenue = section(page(), 'metric-revenue');
    expect(revenue).toContain('analytics');
    expect(revenue).toContain('<code>0 6 * * *</code> · next due 2026-01-02 06:00 UTC');
    expect(revenue).toContain('<span class="tag">finance</span>');
    expect(revenue).toMatch(/<td class="mono">customer_id<\/td><td class="mono">VARCHAR<\/td><td>Who.<\/td><td class="mono">not_null\(customer_id\)<\/td>/);
    expect(revenue).toContain('<dt>Table</dt><dd>table · 1 row · built 2026-01-01 06:00 UTC (6 h ago) by <span class="mono run-id" title="run 5f0c2a9e-1b7d-4c3e-9a41-2d6b8e0f7c13">run 5f0c2a9e</span></dd>');
    expect(revenue).toContain('<dt>Last run</dt><dd><span class="badge st-success">built</span> 1 row · 12 ms · 2026-01-01 06:00 UTC (6 h ago) · <span class="mono run-id"');
    const failed = section(page(), 'metric-order_count');
    expect(failed).toContain('<span class="badge st-failed">failed</span>');
    expect(failed).toContain('Conversion Error: could not convert');
    const current = section(page(), 'metric-top_customers');
    expect(current).toContain('<span class="badge st-success">up to date</span>'); // its table, by the heading
    expect(current).toContain('<dt>Last run</dt><dd><span class="badge st-current">up to date</span> 2026-01-01 06:00 UTC (6 h ago) · ');
    expect(current).not.toMatch(/st-success">skipped/);
  });

  it('shows the table apart from the last run: not built, missing, or built before a run that left it alone', () => {
    const catalog = sampleCatalog();
    const skipped = { runId: 'b0000000-0000-4000-8000-000000000000', status: 'skipped', reason: 'not selected', rows: null, durationMs: null, finishedAt: '2026-01-01T11:00:00.000Z', error: null };
    catalog.metrics.push(
      metric('fresh', { built: false, lastBuild: null, lastRun: null }),
      metric('dropped', { built: false }),
      metric('elsewhere', { lastRun: skipped, lastBuild: { rows: 2465, builtAt: '2026-01-01T06:00:00.000Z', runId: 'a0000000-0000-4000-8000-000000000000' } }),
    );
    const html = page(catalog);
    expect(section(html, 'metric-fresh')).toContain('<dt>Table</dt><dd>table · <span class="muted">not built yet</span></dd>');
    expect(section(html, 'metric-fresh')).toContain('<dt>Last run</dt><dd><span class="muted">none recorded</span></dd>');
    expect(section(html, 'metric-dropped')).toContain('table · <strong>missing</strong> <span class="muted">(last built 2026-01-01 06:00 UTC (6 h ago) by');
    const elsewhere = section(html, 'metric-elsewhere');
    expect(elsewhere).toContain('table · 2,465 rows · built 2026-01-01 06:00 UTC (6 h ago) by <span class="mono run-id" title="run a0000000-0000-4000-8000-000000000000">run a0000000</span>');
    expect(elsewhere).toContain('<span class="badge st-current">not selected</span> 2026-01-01 11:00 UTC (1 h ago) · <span class="mono run-id" title="run b0000000-0000-4000-8000-000000000000">run b0000000</span>');
    expect(html).toMatch(/<a class="node kind-metric st-success" href="#metric-elsewhere"/);
    expect(html).toMatch(/<a class="node kind-metric st-never" href="#metric-fresh"/);
  });

  it('colours graph nodes by last status', () => {
    const html = page();
    expect(html).toMatch(/<a class="node kind-metric st-success" href="#metric-revenue"/);
    expect(html).toMatch(/<a class="node kind-metric st-failed" href="#metric-order_count"/);
    expect(html).toMatch(/<a class="node kind-source" href="#source-orders"/);
  });

  it('gives the lineage zoom, fit and focus controls, and a source node its columns', () => {
    const html = page();
    for (const id of ['zoom-in', 'zoom-out', 'zoom-fit', 'zoom-actual', 'view-reset', 'focus-clear']) expect(html).toContain(`<button type="button" id="${id}"`);
    expect(html).toMatch(/<div class="graph" tabindex="0" aria-label="Lineage graph: drag to pan[^"]*" style="--graph-height:\d+px">/);
    expect(html).toContain('<title>orders — source, 2,465 rows\n1 column:\n  order_id VARCHAR</title>');
  });

  it('highlights SQL at build time', () => {
    const sql = section(page(), 'metric-revenue');
    expect(sql).toContain('<span class="hljs-keyword">SELECT</span>');
    expect(sql).toContain('<span class="hljs-string">&#x27;delivered&#x27;</span>');
    expect(sql).toContain('<span class="hljs-comment">-- total</span>');
  });

  it('renders a hostile description, owner, tag, column, SQL and error message inert', () => {
    const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const catalog = sampleCatalog();
    catalog.metrics.push(
      metric('evil', {
        description: evil, owner: evil, tags: [evil], sql: `SELECT '${evil}</script>' AS x`,
        columns: [{ name: evil, type: evil, checks: [evil], description: evil }], status: 'invalid',
        errors: [{ severity: 'error', code: 'SQL_PARSER', message: evil, hint: evil, file: 'metrics/evil.yaml', line: 5 }],
      }),
    );
    catalog.sources.push({ name: `s"><script>alert(3)</script>`, file: evil, rows: 1, loadedAt: null, columns: [], downstream: [] });
    catalog.edges.push({ from: `s"><script>alert(3)</script>`, to: 'evil' });
    const html = page(catalog);
    expect(html.match(/<script/gi)).toHaveLength(1); // the page's own script, nothing else
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/\son\w+="alert/i);
    expect(section(html, 'metric-evil')).toContain('<p class="description">&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</p>');
    expect(html).toContain('data-name="s&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
  });

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    const html = page();
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import/);
  });

  it('is deterministic: the same catalog renders the same page', () => {
    expect(page()).toBe(page());
  });

  it('renders an empty project without a graph', () => {
    const html = page({ ...sampleCatalog(), metrics: [], sources: [], edges: [] });
    expect(html).not.toContain('<svg');
    expect(html).toContain('No sources or metrics yet');
  });
});

/** The HTML of one detail article. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<article class="detail" id="${id}"`);
  expect(start, `detail ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</article>', start));
}
