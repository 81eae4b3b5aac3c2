// `duckmetrics query "<SELECT …>"`: one read-only, sandboxed SELECT, printed as an aligned table, JSON or CSV.
import { DuckmetricsError } from '@duckmetrics/core';
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

/** `duckmetrics query "<SELECT …>"`. */
export default async function query(flags: QueryFlags, args: string[]): Promise<number> {
  const sql = args.join(' ').trim();
  if (sql === '') throw new DuckmetricsError('USAGE', 'query needs a SELECT', { hint: 'duckmetrics query "SELECT * FROM orders LIMIT 5"' });
  const limit = Number(flags.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 0) throw new DuckmetricsError('USAGE', `--limit must be a whole number, not "${flags.limit}"`, { hint: '--limit 20' });
  return withEngine(flags, async (engine) => {
    const result = await engine.select(sql, { limit, ...(flags.asOf === undefined ? {} : { asOf: flags.asOf }) });
    if (flags.json) {
      printJson({ ok: true, ...result });
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
