// A snapshotted metric's versions over time as a small inline SVG: rows per version, and changed / new / removed keys.
import type { CatalogSnapshot, CatalogSnapshotVersion } from '@duckmetrics/core';
import { formatCount, formatTime } from './internal/format.ts';
import type { SafeHtml } from './internal/html.ts';
import { html } from './internal/html.ts';

const WIDTH = 560;
const ROWS_HEIGHT = 60;
const CHANGE_HEIGHT = 40;
const PAD = 4;

/**
 * The snapshot section of a metric's detail: key and retention, then one column per version (oldest left): a dot on
 * the line of rows valid after it, and a stacked bar of the keys it changed, added and removed (without a key:
 * rows added and closed). Each version has a tooltip with its numbers; the SVG is static markup, no script.
 *
 * @example
 * ```ts
 * snapshotSection('ltv', { key: ['id'], versions: [{ at: '2026-01-01T00:00:00.000Z', rows: 3, changed: 0, added: 3, removed: 0 }] }, 'UTC');
 * ```
 */
export function snapshotSection(name: string, s: CatalogSnapshot, tz: string): SafeHtml {
  const by = s.key.length ? html`versions per <span class="mono">${s.key.join(', ')}</span>` : html`every build a version of all rows`;
  const keep = s.keep === undefined ? '' : html` · versions closed more than ${s.keep} ago are deleted`;
  const head = html`<h3>Versions</h3><p class="muted">In <span class="mono">snapshots.${name}</span>: ${by}${keep}. Read the past with <code>duckmetrics show &lt;metric&gt; --as-of &lt;time&gt;</code>.</p>`;
  if (s.versions.length === 0) return html`${head}<p class="muted">No version yet: the next build writes the first.</p>`;
  return html`${head}${chart(s.versions, s.key.length > 0, tz)}<p class="snapshot-legend muted"><span class="sw sw-rows"></span>rows <span class="sw sw-changed"></span>changed <span class="sw sw-added"></span>new <span class="sw sw-removed"></span>removed · ${formatCount(s.versions.length)} ${s.versions.length === 1 ? 'version' : 'versions'} shown, ${formatTime(s.versions[0]!.at, tz)} to ${formatTime(s.versions[s.versions.length - 1]!.at, tz)}</p>`;
}

function chart(versions: readonly CatalogSnapshotVersion[], keyed: boolean, tz: string): SafeHtml {
  const step = WIDTH / versions.length;
  const bar = Math.max(2, Math.min(24, step * 0.6));
  const maxRows = Math.max(1, ...versions.map((v) => v.rows));
  const maxChange = Math.max(1, ...versions.map((v) => v.changed + v.added + v.removed));
  const x = (i: number): number => round(step * i + step / 2);
  const y = (rows: number): number => round(PAD + (ROWS_HEIGHT - 2 * PAD) * (1 - rows / maxRows));
  const line = versions.map((v, i) => `${x(i)},${y(v.rows)}`).join(' ');
  const base = ROWS_HEIGHT + CHANGE_HEIGHT;
  const columns = versions.map((v, i) => {
    let top = base;
    const segments = (['changed', 'added', 'removed'] as const).map((part) => {
      const h = round(((CHANGE_HEIGHT - PAD) * v[part]) / maxChange);
      top -= h;
      return h > 0 ? html`<rect class="bar-${part}" x="${round(x(i) - bar / 2)}" y="${round(top)}" width="${round(bar)}" height="${h}"/>` : '';
    });
    const words = keyed ? `${v.changed} changed, ${v.added} new, ${v.removed} removed` : `${formatCount(v.added)} ${v.added === 1 ? 'row' : 'rows'} added, ${formatCount(v.removed)} closed`;
    return html`<g class="version"><title>${formatTime(v.at, tz)}: ${formatCount(v.rows)} rows; ${words}</title><rect class="hit" x="${round(step * i)}" y="0" width="${round(step)}" height="${base}"/>${segments}<circle class="dot-rows" cx="${x(i)}" cy="${y(v.rows)}" r="2.5"/></g>`;
  });
  return html`<svg class="snapshot-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${base}" width="${WIDTH}" height="${base}" role="img" aria-label="Versions over time: ${versions.length} versions, up to ${formatCount(maxRows)} rows">
<line class="axis" x1="0" y1="${ROWS_HEIGHT}" x2="${WIDTH}" y2="${ROWS_HEIGHT}"/><polyline class="line-rows" points="${line}"/>${columns}</svg>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
