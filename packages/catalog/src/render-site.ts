import type { Catalog, CatalogColumn, CatalogMetric, CatalogSource } from '@duckmetrics/core';
import { formatRows, formatTime } from './internal/format.ts';
import type { SafeHtml } from './internal/html.ts';
import { html, raw } from './internal/html.ts';
import { layoutLineage } from './lineage-layout.ts';
import { detailHref, lineageSvg } from './lineage-svg.ts';
import { metricStatus } from './metric-status.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { PAGE_STYLE } from './page-style.ts';
import type { DetailContext } from './render-detail.ts';
import { metricDetail, sourceDetail } from './render-detail.ts';

/** The files of the catalog site, by path relative to the output folder (a type, so it fits `Record<string, string>`). */
export type CatalogSite = {
  /** The whole site: styles, script and the lineage SVG inlined; no network needed, opens from `file://`. */
  'index.html': string;
};

/** Options for `renderCatalogSite`. */
export interface RenderCatalogOptions {
  /** Page title; default the project folder's name. */
  title?: string;
}

/**
 * Renders a catalog (`engine.catalog()`) as a static site. Pure: no I/O, no clock, same input → same output.
 * Every string from metric files is escaped; SQL is highlighted and the lineage laid out here, in Node.
 *
 * @example
 * ```ts
 * const site = renderCatalogSite(await engine.catalog());
 * for (const [file, text] of Object.entries(site)) await writeFile(path.join('site', file), text);
 * ```
 */
export function renderCatalogSite(catalog: Catalog, options: RenderCatalogOptions = {}): CatalogSite {
  const project = options.title ?? (catalog.project.root.split(/[\\/]/).filter(Boolean).pop() || 'duckmetrics');
  const kinds = new Map<string, 'metric' | 'source'>();
  for (const s of catalog.sources) kinds.set(s.name.toLowerCase(), 'source');
  for (const m of catalog.metrics) kinds.set(m.name.toLowerCase(), 'metric');
  const ctx: DetailContext = { catalog, kinds };
  const metrics = [...catalog.metrics].sort((a, b) => a.name.localeCompare(b.name));
  const sources = [...catalog.sources].sort((a, b) => a.name.localeCompare(b.name));
  const tooltips = new Map<string, string>([
    ...sources.map((s): [string, string] => [s.name, `${s.name} — source${s.rows === null ? '' : `, ${formatRows(s.rows)}`}${columnLines(s.columns)}`]),
    ...metrics.map((m): [string, string] => [m.name, `${m.name} — ${metricStatus(m).label}`]),
  ]);
  const layout = layoutLineage(catalog);
  const counts = `${metrics.length} metric${metrics.length === 1 ? '' : 's'} · ${sources.length} source${sources.length === 1 ? '' : 's'} · ${layout.edges.length} lineage edge${layout.edges.length === 1 ? '' : 's'}`;

  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="duckmetrics">
<title>${project} · metrics catalog</title>
<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
<div class="layout">
<nav class="sidebar" aria-label="Metrics and sources">
<h1 class="brand">${project}<small>duckmetrics catalog</small></h1>
<input id="search" type="search" placeholder="Search  (press /)" autocomplete="off" spellcheck="false" aria-label="Search metrics and sources">
<p id="search-count" class="search-count" aria-live="polite"></p>
<h2>Metrics <span class="muted">${metrics.length}</span></h2>
<ul class="items" id="metric-list">${metrics.map(metricItem)}</ul>
<h2>Sources <span class="muted">${sources.length}</span></h2>
<ul class="items" id="source-list">${sources.map(sourceItem)}</ul>
<p id="no-match" class="no-match" hidden>Nothing matches.</p>
</nav>
<main>
<p class="summary">${counts} · generated ${formatTime(catalog.generatedAt, catalog.project.timezone)}${catalog.project.timezone === 'UTC' ? '' : html` · schedules in ${catalog.project.timezone}`}</p>
<section class="card" aria-labelledby="lineage-title">
<div class="card-head"><h2 id="lineage-title">Lineage</h2>${legend()}</div>
${layout.nodes.length ? html`${graphTools()}<div class="graph" tabindex="0" aria-label="Lineage graph: drag to pan, wheel or + and - to zoom, f to fit, 0 for 100%, r to reset, Escape to clear the focus" style="--graph-height:${layout.height}px">${lineageSvg(layout, tooltips)}</div>` : html`<p class="empty">No sources or metrics yet: add CSV files to data/ and metric files to metrics/.</p>`}
</section>
<section class="card" id="details" aria-label="Details">
${metrics.map((m) => metricDetail(m, ctx))}
${sources.map((s) => sourceDetail(s, ctx))}
${metrics.length + sources.length === 0 ? html`<p class="empty">Nothing to show yet.</p>` : ''}
</section>
</main>
</div>
<script>${raw(PAGE_SCRIPT)}</script>
</body>
</html>
`;
  return { 'index.html': page.__html };
}

/** A node's tooltip lists a table's columns (the first 24), one a line. */
function columnLines(columns: CatalogColumn[]): string {
  if (columns.length === 0) return '';
  const shown = columns.slice(0, 24).map((c) => `\n  ${c.name}${c.type ? ` ${c.type}` : ''}`).join('');
  return `\n${columns.length} column${columns.length === 1 ? '' : 's'}:${shown}${columns.length > 24 ? `\n  … ${columns.length - 24} more` : ''}`;
}

function searchText(parts: Array<string | null | undefined>): string {
  return parts.filter(Boolean).join(' ').toLowerCase().replace(/\s+/g, ' ');
}

function metricItem(m: CatalogMetric): SafeHtml {
  const { status, label } = metricStatus(m);
  const text = searchText([m.name, m.description, m.owner, ...m.tags.map((t) => `tag:${t} ${t}`), m.file, ...m.columns.map((c) => c.name), label, 'metric']);
  const sub = [m.owner, ...m.tags.map((t) => `#${t}`)].filter(Boolean).join(' · ');
  return html`<li class="item" data-kind="metric" data-name="${m.name}" data-search="${text}"><a href="${detailHref('metric', m.name)}" title="${label}"><span class="dot st-${status}"></span><span class="name">${m.name}</span>${sub ? html`<span class="sub">${sub}</span>` : ''}</a></li>`;
}

function sourceItem(s: CatalogSource): SafeHtml {
  const text = searchText([s.name, s.file, s.origin, ...s.columns.map((c) => c.name), 'source']);
  const sub = [s.file ?? s.origin, s.rows === null ? null : formatRows(s.rows)].filter(Boolean).join(' · ');
  return html`<li class="item" data-kind="source" data-name="${s.name}" data-search="${text}"><a href="${detailHref('source', s.name)}"><span class="dot kind-source"></span><span class="name">${s.name}</span>${sub ? html`<span class="sub">${sub}</span>` : ''}</a></li>`;
}

/** The view's controls; hidden without script (the graph then simply scrolls). */
function graphTools(): SafeHtml {
  return html`<div class="graph-tools" role="toolbar" aria-label="Lineage view">
<button type="button" id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button><output id="zoom-level" aria-live="polite">100%</output><button type="button" id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
<button type="button" id="zoom-fit" title="Fit the whole graph in view (f)">Fit</button><button type="button" id="zoom-actual" title="Actual size, on the focused node (0)">100%</button><button type="button" id="view-reset" title="Clear the focus and fit the whole graph (r)">Reset</button>
<span id="focus" class="focus" hidden>lineage of <code id="focus-name"></code> <button type="button" id="focus-clear" title="Show the whole graph again (Escape)">Clear focus</button></span>
<span class="hint">drag to pan · wheel to zoom · click a node to focus its lineage</span>
</div>`;
}

function legend(): SafeHtml {
  const entries: Array<[string, string]> = [
    ['kind-source', 'source'],
    ['st-success', 'built / up to date'],
    ['st-failed', 'last run failed'],
    ['st-skipped', 'skipped (upstream failed)'],
    ['st-invalid', 'invalid'],
    ['st-never', 'not built yet'],
  ];
  return html`<ul class="legend">${entries.map(([cls, text]) => html`<li><span class="dot ${cls}"></span>${text}</li>`)}</ul>`;
}
