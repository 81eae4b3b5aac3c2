// The catalog site in a real browser: Debian's Chromium driven by playwright-core (no browser download). The site is
// generated for examples/customer-metrics by the built CLI, opened from file://, searched and clicked; a screenshot
// lands in test-results/catalog.png. .ci/run installs Chromium with apt when it is missing.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalog } from '@duckmetrics/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsServer } from './docs-server.ts';
import { startDocsServer } from './docs-server.ts';
import { runCli } from './run-cli.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SCREENSHOT = path.join(root, 'test-results', 'catalog.png');

// In CI (CI set) a missing Chromium is a failed test, not a skip: .ci/run installs it, so missing means broken.
// Locally, without CI set, these tests are skipped when Chromium is missing (install it: apt-get install chromium).
const missing = !existsSync(CHROMIUM);

let work: string;
let project: string;
let site: string;
let catalog: Catalog;
let context: BrowserContext;
let page: Page;

it.skipIf(missing && !process.env.CI)('finds Chromium', () => {
  expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: install it with apt-get install chromium (.ci/run does)`).toBe(true);
});

describe.skipIf(missing)('catalog site in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-catalog-'));
    project = path.join(work, 'customer-metrics');
    await cp(path.join(root, 'examples', 'customer-metrics'), project, {
      recursive: true,
      filter: (src) => !/\.duckdb(\.wal)?$/.test(src) && !src.split(path.sep).includes('site'),
    });
    for (const step of [['setup'], ['run'], ['docs', '--out', 'site']]) {
      const r = await runCli(step, project);
      expect(r.code, `${step.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    site = pathToFileURL(path.join(project, 'site', 'index.html')).href;
    // What the page must show, read through the API (the page itself is built by the CLI).
    const { createEngine } = await import('@duckmetrics/core');
    const engine = createEngine({ cwd: project });
    try {
      catalog = await engine.catalog();
    } finally {
      await engine.close();
    }
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(60_000); // a loaded 2-core CI machine can be slow; nothing here measures time
    page = context.pages()[0] ?? (await context.newPage());
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('opens from file:// with every metric, every source and every lineage edge', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site);
    expect(catalog.metrics.length).toBeGreaterThan(0);
    const listed = await page.$$eval('.items .item', (items) => items.map((li) => `${li.getAttribute('data-kind')}:${li.getAttribute('data-name')}`));
    const expected = [...catalog.metrics.map((m) => `metric:${m.name}`), ...catalog.sources.map((s) => `source:${s.name}`)];
    expect(listed.sort()).toEqual([...expected].sort());
    const nodes = await page.$$eval('svg.lineage .node', (els) => els.map((n) => `${n.getAttribute('data-kind')}:${n.getAttribute('data-name')}`));
    expect(nodes.sort()).toEqual([...expected].sort());
    const edges = await page.$$eval('svg.lineage .edge', (els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`));
    expect(edges.sort()).toEqual([...new Set(catalog.edges.map((e) => `${e.from}>${e.to}`))].sort());
    expect(edges.length).toBeGreaterThan(0);
    // Nodes are coloured by last status: after a clean run every metric succeeded.
    expect(await page.locator('svg.lineage .node.kind-metric.st-success').count()).toBe(catalog.metrics.length);
    expect(errors).toEqual([]);
  });

  it('filters the list as you type in the search box', async () => {
    await page.goto(site);
    const visible = (): Promise<string[]> => page.$$eval('.items .item:not([hidden])', (items) => items.map((li) => li.getAttribute('data-name') ?? ''));
    const all = await visible();
    const target = catalog.metrics.at(-1)!;
    const query = target.name.slice(0, -2);
    await page.locator('#search').pressSequentially(query);
    const shown = await visible();
    expect(shown).toContain(target.name);
    expect(shown.length).toBeLessThan(all.length);
    // Exactly the items whose text holds what was typed are shown.
    const items = await page.$$eval('.items .item', (els) => els.map((li) => ({ hidden: (li as HTMLElement).hidden, text: li.getAttribute('data-search') ?? '' })));
    for (const item of items) expect(item.hidden).toBe(!item.text.includes(query.toLowerCase()));
    expect(await page.locator('#search-count').textContent()).toBe(`${shown.length} of ${all.length} shown`);

    const tag = catalog.metrics.flatMap((m) => m.tags)[0];
    if (tag !== undefined) {
      await page.locator('#search').fill('');
      await page.locator('#search').pressSequentially(`tag:${tag}`);
      const tagged = catalog.metrics.filter((m) => m.tags.some((t) => t.toLowerCase().startsWith(tag.toLowerCase()))).map((m) => m.name);
      expect((await visible()).sort()).toEqual(tagged.sort());
    }
    await page.locator('#search').fill('no such metric anywhere');
    expect(await visible()).toEqual([]);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    await page.locator('#search').press('Escape');
    expect(await visible()).toEqual(all);
  });

  it('clicking a graph node selects the metric and shows its detail', async () => {
    await page.goto(site);
    const target = catalog.metrics.find((m) => m.name === 'top_customers') ?? catalog.metrics.at(-1)!;
    await page.locator(`svg.lineage a.node[data-name="${target.name}"]`).click();
    await page.waitForFunction((name) => document.querySelector('.detail.selected')?.getAttribute('data-name') === name, target.name);
    const detail = page.locator('.detail.selected');
    expect(await detail.isVisible()).toBe(true);
    expect(await page.locator('.detail:visible').count()).toBe(1);
    expect(await detail.locator('h2').textContent()).toBe(target.name);
    expect(await detail.textContent()).toContain(target.description);
    expect(await detail.textContent()).toContain(target.owner);
    expect(await detail.locator('pre.sql .hljs-keyword').count()).toBeGreaterThan(0);
    for (const c of target.columns) expect(await detail.locator('table.columns').textContent()).toContain(c.name);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#metric-${target.name}`);
    expect(await page.locator(`svg.lineage .node.selected`).getAttribute('data-name')).toBe(target.name);
    expect(await page.locator('.items .item.selected').getAttribute('data-name')).toBe(target.name);

    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect((await readFile(SCREENSHOT)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows a hostile description as text: no script from a metric file runs', async () => {
    const { renderCatalogSite } = await import('@duckmetrics/catalog');
    const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    const metric = { ...catalog.metrics[0]!, name: 'evil', description: evil, owner: evil };
    const file = path.join(work, 'evil', 'index.html');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderCatalogSite({ ...catalog, metrics: [metric] })['index.html']);
    await page.goto(`${pathToFileURL(file).href}#metric-evil`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.detail.selected .description').textContent()).toBe(evil);
  });

  it('--serve: the open page reloads by itself when a metric file changes', async () => {
    let server: DocsServer | undefined;
    try {
      server = await startDocsServer(project);
      await page.goto(server.url);
      expect(await page.locator('.items .item').count()).toBe(catalog.metrics.length + catalog.sources.length);
      const yaml = ['metric_name: added_while_open', 'description: Added while the page was open.', 'owner: tests', 'schedule: "0 6 * * *"', 'sql: SELECT 1 AS x', ''];
      await writeFile(path.join(project, 'metrics', 'added_while_open.yaml'), yaml.join('\n'));
      await page.waitForSelector('.items .item[data-name="added_while_open"]', { state: 'attached', timeout: 60_000 });
      expect(await page.locator('svg.lineage .node[data-name="added_while_open"]').count()).toBe(1);
    } finally {
      await server?.stop();
    }
  });
});
