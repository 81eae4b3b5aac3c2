// `duckmetrics show <name>`: one metric (definition, lineage, columns, checks, SQL, last runs) or one source (file,
// rows, columns and types, readers), and the first rows of its table.
import { didYouMean, DuckmetricsError, quoteIdent } from '@duckmetrics/core';
import type { Catalog, CatalogMetric, CatalogSource, HistoryEntry } from '@duckmetrics/core';
import pc from 'picocolors';
import { cliClock } from '../clock.ts';
import { EXIT } from '../exit-codes.ts';
import { count, duration, formatDiagnostic, pad, print, printJson } from '../output.ts';
import { cellText, textTable } from '../text-table.ts';
import { ago, formatTime, until } from '../time-format.ts';
import { withEngine } from '../with-engine.ts';
import type { ShowFlags } from './show.flags.ts';

/**
 * `duckmetrics show <name>`: one metric's definition, upstream and downstream, columns with types, checks, SQL,
 * last runs and the first rows of its table (`--limit N`, default 10); or one source's file, rows, load time,
 * columns with types, the metrics that read it, and its first rows.
 */
export default async function show(flags: ShowFlags, args: string[]): Promise<number> {
  const name = args[0];
  if (name === undefined) throw new DuckmetricsError('USAGE', 'show needs the name of a metric or source', { hint: 'duckmetrics list shows every metric and source' });
  const limit = Number(flags.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 0 || limit > 10_000) {
    throw new DuckmetricsError('USAGE', `--limit must be a whole number from 0 to 10000, got "${String(flags.limit)}"`);
  }
  const clock = cliClock();
  return withEngine(flags, async (engine) => {
    const now = clock.now();
    const catalog = await engine.catalog({ now });
    const metric = catalog.metrics.find((m) => m.name.toLowerCase() === name.toLowerCase());
    const source = metric ? undefined : catalog.sources.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (source) {
      const rows = limit > 0 ? await engine.query(`SELECT * FROM ${quoteIdent(source.name)} LIMIT ${limit}`) : [];
      if (flags.json) printJson({ ok: true, source, rows });
      else for (const line of describeSource(source, catalog, rows, now)) print(line);
      return EXIT.ok;
    }
    if (!metric) throw unknownName(name, catalog);
    const runs = await engine.history({ name: metric.name, limit: 5 });
    const table = quoteIdent(metric.name);
    if (flags.asOf !== undefined) {
      // The past: the rows as published at that time, from snapshots.<metric> (an error with the fix without it).
      const past = await engine.asOf(metric.name, flags.asOf, { limit });
      const pastTotal = Number((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`, { asOf: flags.asOf }))[0]?.n ?? 0);
      if (flags.json) printJson({ ok: true, metric, asOf: past.asOf!.time, rowCount: pastTotal, rows: past.rows });
      else for (const line of describe(metric, catalog, runs, past.rows, pastTotal, now, past.asOf!.time)) print(line);
      return EXIT.ok;
    }
    const rows = metric.built && limit > 0 ? await engine.query(`SELECT * FROM ${table} LIMIT ${limit}`) : [];
    const total = metric.built ? Number((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0) : null;
    if (flags.json) {
      printJson({ ok: true, metric, rowCount: total, runs, rows });
      return EXIT.ok;
    }
    for (const line of describe(metric, catalog, runs, rows, total, now)) print(line);
    return EXIT.ok;
  });
}

function describe(m: CatalogMetric, catalog: Catalog, runs: HistoryEntry[], rows: Array<Record<string, unknown>>, total: number | null, now: Date, asOf?: string): string[] {
  const tz = catalog.project.timezone;
  const sources = new Set(catalog.sources.map((s) => s.name.toLowerCase()));
  const field = (label: string, value: string): string => `${pc.dim(pad(label, 12))}${value}`;
  const out = [`${pc.bold(m.name)}  ${pc.dim(m.file)}`, m.description, ''];
  out.push(field('owner', m.owner));
  out.push(field('schedule', `${m.schedule}  ${pc.dim(m.nextDue === null ? '(due now: never built)' : `(next due ${formatTime(m.nextDue, tz)}, ${until(m.nextDue, now)})`)}`));
  if (m.tags.length) out.push(field('tags', m.tags.join(', ')));
  out.push(field('stored as', `${m.materialized}${total === null ? pc.yellow(' (not built yet: duckmetrics run)') : `, ${count(total)} ${total === 1 ? 'row' : 'rows'}`}`));
  out.push(field('status', m.status === 'valid' ? pc.green('valid') : pc.red('invalid')));
  out.push(field('upstream', m.upstream.length ? m.upstream.map((u) => (sources.has(u.toLowerCase()) ? `${u} ${pc.dim('(source)')}` : u)).join(', ') : pc.dim('none')));
  out.push(field('downstream', m.downstream.length ? m.downstream.join(', ') : pc.dim('none')));
  for (const e of m.errors) out.push('', formatDiagnostic(e));

  out.push('', pc.bold('Columns'));
  if (m.columns.length === 0) out.push(pc.dim('  (unknown until the metric is built)'));
  else out.push(...textTable(['name', 'type', 'checks', 'description'], m.columns.map((c) => [c.name, c.type ?? '', c.checks.join(', '), c.description ?? '']), '  '));
  if (m.checks.length) {
    out.push('', pc.bold('Checks'));
    for (const c of m.checks) out.push(`  ${c.name}${c.severity === 'warn' ? pc.yellow(' (warn)') : ''}`);
  }
  out.push('', pc.bold('SQL'), ...m.sql.trimEnd().split('\n').map((l) => `  ${l}`));

  out.push('', pc.bold('Last runs'));
  if (runs.length === 0) out.push(pc.dim('  none yet'));
  else {
    out.push(...textTable(['when', 'status', 'rows', 'time', 'note'], runs.map((r) => [
      `${formatTime(r.startedAt, tz)} ${pc.dim(`(${ago(r.startedAt, now)})`)}`,
      r.status === 'success' ? pc.green(r.status) : r.status === 'failed' ? pc.red(r.status) : pc.dim(r.status),
      r.rows === null || r.rows === undefined ? '' : count(r.rows),
      duration(r.durationMs ?? undefined),
      pc.dim(r.error ?? r.reason ?? ''),
    ]), '  '));
  }
  if (asOf !== undefined) out.push('', pc.bold(`As published at ${asOf}`), ...(rows.length === 0 ? [pc.dim('  no rows: nothing was published by then (the first version is newer)')] : []));
  out.push(...firstRows(rows, total ?? rows.length, m.columns));
  return out;
}

function describeSource(s: CatalogSource, catalog: Catalog, rows: Array<Record<string, unknown>>, now: Date): string[] {
  const field = (label: string, value: string): string => `${pc.dim(pad(label, 12))}${value}`;
  const out = [`${pc.bold(s.name)}  ${pc.dim('source')}`, ''];
  out.push(field('file', s.file ?? pc.dim('none (loaded by a plugin)')));
  out.push(field('rows', s.rows === null ? pc.dim('unknown') : count(s.rows)));
  out.push(field('loaded', s.loadedAt === null ? pc.dim('unknown') : `${formatTime(s.loadedAt, catalog.project.timezone)} ${pc.dim(`(${ago(s.loadedAt, now)})`)}`));
  out.push(field('read by', s.downstream.length ? s.downstream.join(', ') : pc.dim('no metric yet')));
  out.push('', pc.bold('Columns'));
  out.push(...textTable(['name', 'type'], s.columns.map((c) => [c.name, c.type ?? '']), '  '));
  out.push(...firstRows(rows, s.rows ?? rows.length, s.columns));
  return out;
}

function firstRows(rows: Array<Record<string, unknown>>, total: number, types: ReadonlyArray<{ name: string; type?: string }>): string[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const typeOf = new Map(types.map((c) => [c.name, c.type]));
  return ['', pc.bold(`First ${rows.length} of ${count(total)} ${total === 1 ? 'row' : 'rows'}`), ...textTable(columns, rows.map((r) => columns.map((c) => cellText(r[c], typeOf.get(c)))), '  ')];
}

function unknownName(name: string, catalog: Catalog): Error {
  const names = [...catalog.metrics.map((m) => m.name), ...catalog.sources.map((src) => src.name)];
  const best = didYouMean(name, names);
  const close = [...new Set([...(best ? [best] : []), ...names.filter((n) => n.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(n.toLowerCase()))])];
  return new DuckmetricsError('USAGE', `no metric or source named "${name}"`, {
    hint: close.length ? `did you mean ${close.slice(0, 3).join(', ')}?` : 'duckmetrics list shows every metric and source',
  });
}
