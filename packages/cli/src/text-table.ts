// Rows as aligned text columns, and table cells as short text.
import pc from 'picocolors';
import { pad } from './output.ts';

/** A cell value as text: dates as ISO, NULL dimmed, objects as JSON, long text cut to `max` characters. */
export function cellText(value: unknown, max = 40): string {
  let text: string;
  if (value === null || value === undefined) return pc.dim('NULL');
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  else text = String(value);
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
