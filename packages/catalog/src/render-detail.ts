import type { Catalog, CatalogColumn, CatalogMetric, CatalogSource } from '@duckmetrics/core';
import { highlightSql } from './highlight-sql.ts';
import { formatCount, formatDuration, formatRelative, formatRows, formatTime } from './internal/format.ts';
import type { SafeHtml } from './internal/html.ts';
import { html, raw } from './internal/html.ts';
import { detailHref, detailId } from './lineage-svg.ts';
import { metricStatus, runOutcome } from './metric-status.ts';
import { snapshotSection } from './snapshot-chart.ts';
import { trendChart } from './trend-chart.ts';

/** Renders the details of one catalog: what is known about each name (for links), and the time settings. */
export interface DetailContext {
  catalog: Catalog;
  /** Lower-cased name → kind, to link upstream / downstream names. */
  kinds: ReadonlyMap<string, 'metric' | 'source'>;
}

/** One metric's detail: description, facts, its table apart from its last run, errors, columns, checks and SQL. */
export function metricDetail(m: CatalogMetric, ctx: DetailContext): SafeHtml {
  const { status, label } = metricStatus(m);
  const tz = ctx.catalog.project.timezone;
  const now = ctx.catalog.generatedAt;
  const due =
    m.nextDue === null
      ? html`<span>due now</span> <span class="muted">(never built)</span>`
      : html`${formatTime(m.nextDue, tz)} <span class="muted">(${m.nextDue <= now ? 'due now' : formatRelative(m.nextDue, now)})</span>`;
  const run = m.lastRun;
  const outcome = run === null ? null : runOutcome(run);
  const lastRun =
    run === null || outcome === null
      ? html`<span class="muted">none recorded</span>`
      : html`<span class="badge ${outcome.className}">${outcome.text}</span> ${[
          run.status === 'success' && run.rows !== null ? formatRows(run.rows) : null,
          run.durationMs === null ? null : formatDuration(run.durationMs),
          `${formatTime(run.finishedAt, tz)} (${formatRelative(run.finishedAt, now)})`,
        ].filter((p) => p !== null).join(' · ')} · ${runLink(run.runId)}${run.reason && run.reason !== outcome.text ? html` <span class="muted">— ${run.reason}</span>` : ''}${run.error ? html`<div class="run-error mono">${run.error}</div>` : ''}`;
  return html`<article class="detail" id="${detailId('metric', m.name)}" data-kind="metric" data-name="${m.name}">
<div class="detail-head"><h2>${m.name}</h2><span class="badge st-${status}">${label}</span>${m.unpublishedPreview ? html`<span class="badge st-preview" title="duckmetrics plan built a preview of it; duckmetrics publish puts it in place">unpublished preview</span>` : ''}<span class="file mono">${m.file}</span></div>
${m.description ? html`<p class="description">${m.description}</p>` : html`<p class="description muted">No description.</p>`}
<dl class="facts">
<dt>Owner</dt><dd>${m.owner || html`<span class="muted">none</span>`}</dd>
<dt>Schedule</dt><dd><code>${m.schedule}</code> · next due ${due}</dd>
<dt>Tags</dt><dd>${m.tags.length ? m.tags.map((t) => html`<span class="tag">${t}</span>`) : html`<span class="muted">none</span>`}</dd>
<dt>Table</dt><dd>${tableFacts(m, tz, now)}</dd>
<dt>Last run</dt><dd>${lastRun}</dd>
<dt>Upstream</dt><dd>${links(m.upstream, ctx)}</dd>
<dt>Downstream</dt><dd>${links(m.downstream, ctx)}</dd>
</dl>
${m.trend ? trendChart(m.trend) : ''}
${m.errors.length ? html`<ul class="errors">${m.errors.map((d) => html`<li><span class="mono">${d.file ?? m.file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}</span> <strong>${d.code}</strong> ${d.message}${d.hint ? html` <span class="muted">— ${d.hint}</span>` : ''}</li>`)}</ul>` : ''}
<h3>Columns</h3>
${columnsTable(m.columns, true)}
${m.checks.length ? html`<h3>Checks</h3><table><thead><tr><th>check</th><th>type</th><th>severity</th></tr></thead><tbody>${m.checks.map((c) => html`<tr><td class="mono">${c.name}</td><td>${c.type}</td><td>${c.severity}</td></tr>`)}</tbody></table>` : ''}
${m.snapshot ? snapshotSection(m.name, m.snapshot, tz) : ''}
<h3>SQL</h3>
<pre class="sql"><code class="hljs language-sql">${raw(highlightSql(m.sql))}</code></pre>
</article>`;
}

/** One source's detail: file, rows, load time, columns and the metrics that read it. */
export function sourceDetail(s: CatalogSource, ctx: DetailContext): SafeHtml {
  const tz = ctx.catalog.project.timezone;
  return html`<article class="detail" id="${detailId('source', s.name)}" data-kind="source" data-name="${s.name}">
<div class="detail-head"><h2>${s.name}</h2><span class="badge kind-source">source</span>${s.file ?? s.origin ? html`<span class="file mono">${s.file ?? `from ${s.origin}`}</span>` : ''}</div>
<dl class="facts">
<dt>Rows</dt><dd>${s.rows === null ? html`<span class="muted">unknown</span>` : formatCount(s.rows)}</dd>
<dt>Loaded</dt><dd>${s.loadedAt === null ? html`<span class="muted">unknown</span>` : html`${formatTime(s.loadedAt, tz)} <span class="muted">(${formatRelative(s.loadedAt, ctx.catalog.generatedAt)})</span>`}</dd>
<dt>Read by</dt><dd>${links(s.downstream, ctx)}</dd>
</dl>
<h3>Columns</h3>
${columnsTable(s.columns, false)}
</article>`;
}

/** The metric's table as it stands: kind, built or not, rows, when and by which run — whatever the last run did. */
function tableFacts(m: CatalogMetric, tz: string, now: string): SafeHtml {
  const b = m.lastBuild;
  if (b === null) return html`${m.materialized} · ${m.built ? html`exists <span class="muted">(no build recorded: made outside duckmetrics?)</span>` : html`<span class="muted">not built yet</span>`}`;
  const built = html`built ${formatTime(b.builtAt, tz)} (${formatRelative(b.builtAt, now)})${b.runId === null ? '' : html` by ${runLink(b.runId)}`}`;
  if (!m.built) return html`${m.materialized} · <strong>missing</strong> <span class="muted">(last ${built}; dropped since)</span>`;
  return html`${m.materialized} · ${b.rows === null ? '' : `${formatRows(b.rows)} · `}${built}`;
}

/** A run id, shortened as `duckmetrics history` prints it; the whole id on hover. */
function runLink(runId: string): SafeHtml {
  return html`<span class="mono run-id" title="run ${runId}">run ${runId.slice(0, 8)}</span>`;
}

function links(names: string[], ctx: DetailContext): SafeHtml {
  if (names.length === 0) return html`<span class="muted">none</span>`;
  return html`${names.map((name, i) => {
    const kind = ctx.kinds.get(name.toLowerCase());
    const link = kind ? html`<a class="mono" href="${detailHref(kind, name)}">${name}</a>` : html`<span class="mono" title="not a known source or metric">${name}</span>`;
    return html`${i > 0 ? ', ' : ''}${link}`;
  })}`;
}

function columnsTable(columns: CatalogColumn[], withChecks: boolean): SafeHtml {
  if (columns.length === 0) return html`<p class="muted">No columns known yet (the table is not built).</p>`;
  const documented = columns.some((c) => c.description !== undefined);
  return html`<table class="columns"><thead><tr><th>column</th><th>type</th>${documented ? html`<th>description</th>` : ''}${withChecks ? html`<th>checks</th>` : ''}</tr></thead><tbody>${columns.map(
    (c) =>
      html`<tr><td class="mono">${c.name}</td><td class="mono">${c.type ?? html`<span class="muted">?</span>`}</td>${documented ? html`<td>${c.description ?? ''}</td>` : ''}${withChecks ? html`<td class="mono">${c.checks.join(', ')}</td>` : ''}</tr>`,
  )}</tbody></table>`;
}
