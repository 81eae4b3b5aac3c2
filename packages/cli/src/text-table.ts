// Rows as aligned text columns, and table cells as short text.
import pc from 'picocolors';
import { pad } from './output.ts';

/**
 * A cell value as text, for reading (`--json` and `--csv` keep the values as they are): a `DATE` as `2026-01-05`, a
 * timestamp as `2026-01-05 14:30:00` (UTC), a `DOUBLE` rounded (`0.30000000000000004` → `0.3`, `1234.56789` →
 * `1234.5679`), NULL dimmed, objects as JSON, long text cut to `max` characters. `type` is the column's DuckDB
 * type when known; without it a Date at midnight UTC is shown as a date and any fractional number is rounded.
 *
 * @example
 * ```ts
 * cellText(new Date('2026-01-05T00:00:00Z'), 'DATE'); // '2026-01-05'
 * cellText(2 / 3, 'DOUBLE'); // '0.6667'
 * ```
 */
export function cellText(value: unknown, type?: string, max = 40): string {
  let text: string;
  if (value === null || value === undefined) return pc.dim('NULL');
  if (value instanceof Date) text = dateText(value, type);
  else if (typeof value === 'number') text = numberText(value, type);
  else if (typeof value === 'object') text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  else text = String(value);
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function dateText(value: Date, type: string | undefined): string {
  if (Number.isNaN(value.getTime())) return String(value);
  const iso = value.toISOString();
  const upper = type?.toUpperCase();
  if (upper === 'DATE' || (upper === undefined && iso.endsWith('T00:00:00.000Z'))) return iso.slice(0, 10);
  const time = iso.endsWith('.000Z') ? iso.slice(11, 19) : iso.slice(11, 23);
  return `${iso.slice(0, 10)} ${time}${upper?.includes('TIME ZONE') || upper === 'TIMESTAMPTZ' ? ' UTC' : ''}`;
}

const EXACT = /^(DECIMAL|NUMERIC|U?(TINY|SMALL|BIG|HUGE)?INT)/i;

function numberText(value: number, type: string | undefined): string {
  if (Number.isInteger(value) || !Number.isFinite(value) || (type !== undefined && EXACT.test(type))) return String(value);
  const rounded = Math.abs(value) >= 1 ? Number(value.toFixed(4)) : Number(value.toPrecision(4));
  return String(rounded);
}

const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * Rows as aligned columns under a dimmed header, each line indented by `indent`.
 *
 * @example
 * ```ts
 * textTable(['name', 'rows'], [['revenue', '2']]); // ['name     rows', 'revenue  2'] (header dimmed)
 * ```
 */
export function textTable(header: string[], rows: string[][], indent = ''): string[] {
  const widths = header.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: string[]): string => `${indent}${cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]! + 2))).join('')}`.trimEnd();
  return [pc.dim(line(header)), ...rows.map(line)];
}
