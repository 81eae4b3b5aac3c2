// `duckmetrics query "<SELECT …>"` or `query <metric> --measures …`: one read-only, sandboxed SELECT, printed as an aligned table, JSON or CSV.
import { DuckmetricsError } from '@duckmetrics/core';
import type { QueryCompare, TimeGrain } from '@duckmetrics/core';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { print, printJson } from '../output.ts';
import { cellText, textTable } from '../text-table.ts';
import { withEngine } from '../with-engine.ts';
import type { QueryFlags } from './query.flags.ts';

/** A value as one CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A single identifier is a metric's name; anything else is SQL. */
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METRIC_FLAGS = ['measures', 'by', 'grain', 'from', 'to', 'where', 'compare'] as const;

/** `duckmetrics query "<SELECT …>"`, or `duckmetrics query <metric> [--measures …] [--by …] [--grain …] …`. */
export default async function query(flags: QueryFlags, args: string[]): Promise<number> {
  const sql = args.join(' ').trim();
  if (sql === '') throw new DuckmetricsError('USAGE', 'query needs a SELECT or a metric name', { hint: 'duckmetrics query "SELECT * FROM orders LIMIT 5", or duckmetrics query order_values --measures revenue --grain month' });
  const isMetric = args.length === 1 && METRIC_NAME.test(sql);
  const given = METRIC_FLAGS.filter((f) => flags[f] !== undefined);
  if (!isMetric && given.length > 0) throw new DuckmetricsError('USAGE', `--${given[0]} goes with a metric name, not with SQL`, { hint: 'duckmetrics query order_values --measures revenue --grain month' });
  const limit = Number(flags.limit ?? (isMetric ? 1000 : 100));
  if (!Number.isInteger(limit) || limit < 0) throw new DuckmetricsError('USAGE', `--limit must be a whole number, not "${flags.limit}"`, { hint: '--limit 20' });
  const list = (value: string | undefined): string[] | undefined => value?.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const asOf = flags.asOf === undefined ? {} : { asOf: flags.asOf };
  return withEngine(flags, async (engine) => {
    const result = isMetric
      ? await engine.queryMetric({
        metric: sql, limit,
        ...(flags.measures === undefined ? {} : { measures: list(flags.measures)! }),
        ...(flags.by === undefined ? {} : { by: list(flags.by)! }),
        ...(flags.grain === undefined ? {} : { grain: flags.grain as TimeGrain }),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(flags.to === undefined ? {} : { to: flags.to }),
        ...(flags.where === undefined ? {} : { where: flags.where }),
        ...(flags.compare === undefined ? {} : { compare: flags.compare as QueryCompare }),
        ...asOf,
      })
      : await engine.select(sql, { limit, ...asOf });
    if (flags.json) {
      printJson(isMetric ? result : { ok: true, ...result });
      return EXIT.ok;
    }
    if (flags.csv) {
      print(result.columns.map((c) => csvField(c.name)).join(','));
      for (const row of result.rows) print(result.columns.map((c) => csvField(row[c.name])).join(','));
      return EXIT.ok;
    }
    for (const line of textTable(result.columns.map((c) => c.name), result.rows.map((row) => result.columns.map((c) => cellText(row[c.name], c.type))))) print(line);
    const n = result.rows.length;
    print(pc.dim(`${n} ${n === 1 ? 'row' : 'rows'}${result.truncated ? ` (more rows exist: --limit ${Math.max(limit * 10, 100)} shows more)` : ''}`));
    if (result.asOf) print(pc.dim(`as of ${result.asOf.time}: ${result.asOf.replaced.length ? `${result.asOf.replaced.join(', ')} read from snapshots` : 'no snapshotted metric read; every table as it is now'}`));
    return EXIT.ok;
  });
}
