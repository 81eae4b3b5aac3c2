// Text for people: diagnostics, status marks, counts, durations, padding, and lines (or JSON) on stdout.
import type { Diagnostic } from '@duckmetrics/core';
import pc from 'picocolors';

/** A diagnostic printed like a compiler's: location, severity, code, message, frame and hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`} ` : '';
  const severity = d.severity === 'error' ? pc.red('error') : pc.yellow('warning');
  const by = d.plugin ? pc.dim(` [${d.plugin}${d.hook ? `.${d.hook}` : ''}]`) : '';
  const lines = [`${pc.bold(where)}${severity} ${pc.dim(d.code)} ${indent(d.message, 2).trimStart()}${by}`];
  if (d.frame) lines.push(pc.dim(indent(d.frame, 4)));
  if (d.hint) lines.push(`    ${pc.cyan('hint:')} ${d.hint}`);
  return lines.join('\n');
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

/** A status mark: ✓ green, ✗ red, – dim. */
export function mark(status: 'ok' | 'fail' | 'skip'): string {
  return status === 'ok' ? pc.green('✓') : status === 'fail' ? pc.red('✗') : pc.dim('–');
}

/**
 * `1234567` → `1,234,567`. Whole numbers are grouped by hand: the first `toLocaleString` of a process loads ICU's
 * locale data (measured 15-20 ms of every run's output); other numbers keep it.
 */
export function count(n: number | undefined): string {
  if (n === undefined) return '';
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${grouped}` : grouped;
}

/** `1 metric`, `2 metrics`, `1,204 tables`: a count and its noun, singular for one. */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** Milliseconds as `45 ms` or `1.2 s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Pads visible text to `width` (ignores colour codes). */
export function pad(text: string, width: number): string {
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  return text + ' '.repeat(Math.max(0, width - visible));
}

// C0 controls but tab and line feed, DEL and C1 controls; ESC only when it does not start a colour (SGR) sequence,
// the one kind of escape this CLI writes itself (picocolors).
const UNSAFE = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

/**
 * Text from users (names, owners, tags, descriptions, file names, SQL, DuckDB's messages about them) made safe for a
 * terminal: control characters become visible escapes (`\x1b`, `\r`, `\x07`) so a metric file cannot move the
 * cursor, clear the screen or set the window title. Colours written by the CLI itself are kept.
 *
 * @example
 * ```ts
 * terminalSafe('owner\x1b]0;pwned\x07'); // 'owner\\x1b]0;pwned\\x07'
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Writes a line to stdout, with control characters from user text made visible. */
export function print(line = ''): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

/** Writes a value as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
