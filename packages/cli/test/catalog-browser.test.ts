// The catalog site in a real browser: Debian's Chromium driven by playwright-core (no browser download). The site is
// generated for examples/customer-metrics (7 metrics) by the built CLI, and for a generated project of 200 metrics by
// the renderer; both are opened from file://, searched, zoomed, panned and focused, with no network request.
// Screenshots go to test-results/; with DUCKMETRICS_DOCS_IMAGES=1 they also replace docs/images/{catalog,lineage-7,
// lineage-200}.png. .ci/run installs Chromium with apt when it is missing.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalog } from '@duckmetrics/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocsServer } from './docs-server.ts';
import { startDocsServer } from './docs-server.ts';
import { runCli } from './run-cli.ts';
import { generatedCatalog } from '../../catalog/test/generated-catalog.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../..', import.meta.url));
const SHOTS = path.join(root, 'test-results');
const DOCS_IMAGES = process.env.DUCKMETRICS_DOCS_IMAGES ? path.join(root, 'docs', 'images') : null;

/** Saves a screenshot of the page as it is to test-results/<name>, and to docs/images when asked to. */
async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
  if (DOCS_IMAGES) await cp(file, path.join(DOCS_IMAGES, name));
}

// In CI (CI set) a missing Chromium is a failed test, not a skip: .ci/run installs it, so missing means broken.
// Locally, without CI set, these tests are skipped when Chromium is missing (install it: apt-get install chromium).
const missing = !existsSync(CHROMIUM);

let work: string;
let project: string;
let site: string;
let catalog: Catalog;
/** The two sites the lineage is tried on: the bundled example, and 200 generated metrics. */
const scales: Record<7 | 200, { site: string; catalog: Catalog }> = {} as Record<7 | 200, { site: string; catalog: Catalog }>;
let context: BrowserContext;
let page: Page;
/** Every URL the browser asked for: only the pages themselves, read from file://. */
const requests: string[] = [];

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
    scales[7] = { site, catalog };
    const big = generatedCatalog(200);
    const bigFile = path.join(work, 'big-metrics', 'index.html');
    await mkdir(path.dirname(bigFile), { recursive: true });
    const { renderCatalogSite } = await import('@duckmetrics/catalog');
    await writeFile(bigFile, renderCatalogSite(big)['index.html']);
    scales[200] = { site: pathToFileURL(bigFile).href, catalog: big };
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(60_000); // a loaded 2-core CI machine can be slow; nothing here measures time
    context.on('request', (r) => requests.push(r.url()));
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
    // Each table was built by that run, and the page says which.
    for (const m of catalog.metrics) {
      expect(m.lastBuild, m.name).toMatchObject({ runId: m.lastRun!.runId, rows: m.lastRun!.rows });
      const facts = await page.locator(`.detail[data-name="${m.name}"] .facts`).textContent();
      expect(facts).toMatch(new RegExp(`Table.* rows? · built .* by run ${m.lastRun!.runId.slice(0, 8)}`));
    }
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
    // Exactly the items whose words or SQL hold what was typed are shown.
    const items = await page.$$eval('.items .item', (els) => els.map((li) => {
      const sql = document.getElementById(`${li.getAttribute('data-kind')}-${li.getAttribute('data-name')}`)?.querySelector('pre.sql')?.textContent ?? '';
      return { hidden: (li as HTMLElement).hidden, text: `${li.getAttribute('data-search') ?? ''} ${sql.toLowerCase().replace(/\s+/g, ' ')}` };
    }));
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
    await screenshot(page, 'catalog.png');
  });

  describe.each([7, 200] as const)('the lineage at %i metrics', (n) => {
    const open = async (hash = ''): Promise<void> => {
      await page.goto('about:blank');
      await page.goto(scales[n].site + hash);
    };
    beforeEach(() => {
      requests.length = 0;
    });
    afterEach(() => {
      // Nothing but the page itself: no CDN, no font, no image, no favicon.
      expect(requests.filter((u) => u !== 'about:blank' && u.split('#')[0] !== scales[n].site)).toEqual([]);
    });

    it('opens with every node in the box, asking the network for nothing', async () => {
      await open();
      expect(catalog.metrics.length).toBeGreaterThan(0);
      expect(scales[n].catalog.metrics).toHaveLength(n);
      expect((await view()).outside).toEqual([]);
      expect(requests.filter((u) => u !== 'about:blank')).toEqual([scales[n].site]);
    });

    it('zooms with the buttons, the wheel and the keyboard', async () => {
      await open();
      const start = await view();
      await page.locator('#zoom-in').click();
      const zoomed = await view();
      expect(zoomed.viewBox[2]).toBeCloseTo(start.viewBox[2]! / 1.25, 0);
      expect(zoomed.level).not.toBe(start.level);
      const box = (await page.locator('.graph').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction((w) => Number(document.querySelector('svg.lineage')!.getAttribute('viewBox')!.split(' ')[2]) < w - 1, zoomed.viewBox[2]!);
      const wheeled = await view();
      await page.locator('.graph').focus();
      await page.keyboard.press('-');
      expect((await view()).viewBox[2]).toBeCloseTo(wheeled.viewBox[2]! / 0.8, 0);
      await page.keyboard.press('0');
      expect((await view()).level).toBe('100%');
      await page.locator('#zoom-out').click();
      expect((await view()).level).toBe('80%');
    });

    it('pans by dragging, without following the link the drag started on', async () => {
      await open();
      await page.locator('#zoom-actual').click(); // 100%, top left
      const before = await view();
      const name = before.inside[0]!;
      const node = (await page.locator(`svg.lineage .node[data-name="${name}"] rect`).boundingBox())!;
      await page.mouse.move(node.x + node.width / 2, node.y + node.height / 2);
      await page.mouse.down();
      await page.mouse.move(node.x + node.width / 2 + 150, node.y + node.height / 2 + 40, { steps: 6 });
      await page.mouse.up();
      const after = await view();
      expect(after.viewBox[0]).toBeCloseTo(before.viewBox[0]! - 150, 0);
      expect(after.viewBox[1]).toBeCloseTo(before.viewBox[1]! - 40, 0);
      expect(new URL(page.url()).hash).toBe('');
      expect(after.faded).toEqual([]);
    });

    it('fit to view puts every node back in the box', async () => {
      await open();
      for (let i = 0; i < 6; i++) await page.locator('#zoom-in').click();
      expect((await view()).outside.length).toBeGreaterThan(0);
      await page.locator('#zoom-fit').click();
      expect((await view()).outside).toEqual([]);
    });

    it('focusing a node fades everything outside its upstream and downstream, until cleared', async () => {
      await open();
      const { name, lineage } = focusTarget(scales[n].catalog);
      await page.locator(`svg.lineage a.node[data-name="${name}"]`).click();
      await page.waitForFunction((m) => document.querySelector('.detail.selected')?.getAttribute('data-name') === m, name);
      const all = [...scales[n].catalog.metrics.map((m) => m.name), ...scales[n].catalog.sources.map((s) => s.name)];
      const focused = await view();
      expect(focused.faded).toEqual(all.filter((x) => !lineage.has(x)).sort());
      expect(focused.outside).not.toContain(name);
      expect(await page.locator('#focus').isVisible()).toBe(true);
      expect(await page.locator('#focus-name').textContent()).toBe(`+${name}+`);
      expect(await page.locator('svg.lineage .edge.faded').count()).toBe(scales[n].catalog.edges.filter((e) => !(lineage.has(e.from) && lineage.has(e.to))).length);
      await page.locator('#focus-clear').click();
      expect((await view()).faded).toEqual([]);
      expect(await page.locator('#focus').isVisible()).toBe(false);
      // Reset: no focus, and the whole graph fitted, as the page opened.
      await page.locator(`svg.lineage a.node[data-name="${name}"]`).click();
      await page.locator('#zoom-in').click();
      await page.locator('#view-reset').click();
      const reset = await view();
      expect([reset.faded, reset.outside]).toEqual([[], []]);
      await page.goto('about:blank');
      await page.goto(scales[n].site);
      expect((await view()).viewBox).toEqual(reset.viewBox);
    });

    it('selecting a metric in the list pans its node into view', async () => {
      await open();
      await page.locator('#zoom-actual').click(); // 100%, top left: the last node of the drawing is out of view at 200
      const { name } = focusTarget(scales[n].catalog, 'lowest');
      await page.locator(`.items .item[data-name="${name}"] a`).click();
      await page.waitForFunction((m) => document.querySelector('svg.lineage .node.selected')?.getAttribute('data-name') === m, name);
      expect((await view()).outside).not.toContain(name);
    });

    it('search finds a metric by a fragment of its SQL', async () => {
      await open();
      const { name, fragment } = sqlFragment(scales[n].catalog);
      await page.locator('#search').fill(fragment);
      expect(await page.$$eval('.items .item:not([hidden])', (items) => items.map((li) => li.getAttribute('data-name')))).toEqual([name]);
      expect(await page.locator(`svg.lineage .node.dim`).count()).toBe(n + scales[n].catalog.sources.length - 1);
    });

    it(`screenshot: docs/images/lineage-${n}.png`, async () => {
      // At 7, a source's downstream and its columns; at 200, the most compact lineage of six or more tables, framed
      // by selecting it, so its labels can be read among the faded others.
      const c = scales[n].catalog;
      let hash = `#source-${c.sources.at(-1)!.name}`;
      if (n === 200) {
        await open();
        const rects = new Map(await page.$$eval('svg.lineage .node', (els) => els.map((e) => {
          const r = e.querySelector('rect')!;
          return [e.getAttribute('data-name')!, ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)))] as [string, number[]];
        })));
        const area = (names: Set<string>): number => {
          const boxes = [...names].map((x) => rects.get(x)!);
          const w = Math.max(...boxes.map((b) => b[0]! + b[2]!)) - Math.min(...boxes.map((b) => b[0]!));
          const h = Math.max(...boxes.map((b) => b[1]! + b[3]!)) - Math.min(...boxes.map((b) => b[1]!));
          return w * h;
        };
        const best = c.metrics.map((m) => focusTarget(c, m.name)).filter((t) => t.lineage.size >= 6).sort((a, b) => area(a.lineage) - area(b.lineage))[0]!;
        hash = `#metric-${best.name}`;
      }
      await open(hash);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `lineage-${n}.png`);
    });
  });

  it('shows a source\'s columns in its detail and on its lineage node', async () => {
    const source = catalog.sources.find((s) => s.columns.length > 0)!;
    await page.goto('about:blank');
    await page.goto(`${site}#source-${source.name}`);
    const detail = page.locator('.detail.selected');
    expect(await detail.locator('h2').textContent()).toBe(source.name);
    const title = await page.locator(`svg.lineage .node[data-name="${source.name}"] > title`).textContent();
    for (const c of source.columns) {
      expect(await detail.locator('table.columns').textContent()).toContain(c.name);
      expect(title).toContain(`${c.name} ${c.type}`);
    }
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

/** The lineage view as the browser shows it: the viewBox, the zoom level, faded nodes, nodes out of and in the box. */
function view(): Promise<{ viewBox: number[]; level: string; faded: string[]; outside: string[]; inside: string[] }> {
  return page.evaluate(() => {
    const box = document.querySelector('.graph')!.getBoundingClientRect();
    const nodes = Array.from(document.querySelectorAll('svg.lineage .node'));
    const isIn = (n: Element): boolean => {
      const r = n.querySelector('rect')!.getBoundingClientRect();
      return r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
    };
    const names = (els: Element[]): string[] => els.map((e) => e.getAttribute('data-name')!).sort();
    return {
      viewBox: document.querySelector('svg.lineage')!.getAttribute('viewBox')!.split(' ').map(Number),
      level: document.getElementById('zoom-level')!.textContent!,
      faded: names(nodes.filter((e) => e.classList.contains('faded'))),
      outside: names(nodes.filter((e) => !isIn(e))),
      inside: nodes.filter(isIn).map((e) => e.getAttribute('data-name')!),
    };
  });
}

/** A metric (by default one in the middle with both upstream and downstream, or the last one, or the one named) and
 * everything in its lineage (dbt's +name+), from the catalog alone. */
function focusTarget(c: Catalog, pick: 'middle' | 'lowest' | string = 'middle'): { name: string; lineage: Set<string> } {
  const walk = (start: string, next: (e: { from: string; to: string }) => [string, string]): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const at = stack.pop()!;
      for (const e of c.edges) {
        const [a, b] = next(e);
        if (a === at && !seen.has(b)) { seen.add(b); stack.push(b); }
      }
    }
    return seen;
  };
  const lineageOf = (name: string): Set<string> => new Set([name, ...walk(name, (e) => [e.to, e.from]), ...walk(name, (e) => [e.from, e.to])]);
  const candidates = c.metrics.filter((m) => m.upstream.length > 0 && m.downstream.length > 0);
  const name = pick === 'lowest' ? c.metrics.at(-1)!.name : pick === 'middle' ? (candidates[Math.floor(candidates.length / 2)] ?? c.metrics[0]!).name : pick;
  return { name, lineage: lineageOf(name) };
}

/** A metric and a word of its SQL that is in no other item and not in its own name, description, tags or columns. */
function sqlFragment(c: Catalog): { name: string; fragment: string } {
  const text = (parts: unknown[]): string => parts.flat().map(String).join(' ').toLowerCase().replace(/\s+/g, ' ');
  const words = (m: Catalog['metrics'][number]): string => text([m.name, m.description, m.owner, m.tags, m.file, m.columns.map((col) => col.name)]);
  const everywhere = text([...c.metrics.map((m) => [words(m), m.sql]), ...c.sources.map((s) => [s.name, s.file, s.columns.map((col) => col.name)])]);
  for (const m of [...c.metrics].reverse()) {
    for (const word of m.sql.toLowerCase().split(/[\s,()]+/).filter((w) => w.length >= 5)) {
      const elsewhere = everywhere.split(word).length - 1;
      const own = text([m.sql]).split(word).length - 1;
      if (elsewhere === own && !words(m).includes(word)) return { name: m.name, fragment: word };
    }
  }
  throw new Error('no metric has a word of SQL of its own');
}
