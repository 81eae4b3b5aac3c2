// Comparing a unit test's expected rows with the rows the SQL returned: as a multiset or in order, numbers within a tolerance.
/** A row as compared: column to a number (FLOAT, DOUBLE, DECIMAL), text (every other type, as DuckDB writes it) or null. */
export type ComparedRow = Record<string, number | string | null>;

/** Rows that did not match. */
export interface RowDiff {
  /** Expected rows the result does not have. */
  missing: ComparedRow[];
  /** Result rows no expected row matched. */
  unexpected: ComparedRow[];
}

/** Options of a comparison. */
export interface CompareOptions {
  order: 'any' | 'exact';
  /** Relative tolerance for numbers: equal when |a − b| ≤ tolerance × max(1, |a|, |b|). */
  tolerance: number;
  /** The columns compared. */
  columns: readonly string[];
}

/** True when two compared values are equal (numbers within the tolerance; null equals only null). */
export function sameValue(a: number | string | null, b: number | string | null, tolerance: number): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (a === b) return true;
    return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

const sameRow = (a: ComparedRow, b: ComparedRow, options: CompareOptions): boolean =>
  options.columns.every((c) => sameValue(a[c] ?? null, b[c] ?? null, options.tolerance));

/**
 * Compares expected with actual rows. With `order: 'any'` each expected row is matched to one equal actual row
 * (a multiset: duplicates count); exact values are paired first, so a tolerance cannot steal another row's match.
 * With `order: 'exact'` row i is compared with row i.
 *
 * @example
 * ```ts
 * compareRows([{ v: 1 }], [{ v: 1 }, { v: 2 }], { order: 'any', tolerance: 0, columns: ['v'] });
 * // { missing: [], unexpected: [{ v: 2 }] }
 * ```
 */
export function compareRows(expected: readonly ComparedRow[], actual: readonly ComparedRow[], options: CompareOptions): RowDiff {
  if (options.order === 'exact') {
    const missing: ComparedRow[] = [];
    const unexpected: ComparedRow[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const e = expected[i];
      const a = actual[i];
      if (e && a && sameRow(e, a, options)) continue;
      if (e) missing.push(e);
      if (a) unexpected.push(a);
    }
    return { missing, unexpected };
  }
  const used = new Array<boolean>(actual.length).fill(false);
  const matched = new Array<boolean>(expected.length).fill(false);
  const pass = (equal: (e: ComparedRow, a: ComparedRow) => boolean): void => {
    expected.forEach((e, i) => {
      if (matched[i]) return;
      const j = actual.findIndex((a, k) => !used[k] && equal(e, a));
      if (j === -1) return;
      used[j] = true;
      matched[i] = true;
    });
  };
  pass((e, a) => sameRow(e, a, { ...options, tolerance: 0 }));
  pass((e, a) => sameRow(e, a, options));
  return { missing: expected.filter((_, i) => !matched[i]), unexpected: actual.filter((_, k) => !used[k]) };
}

/**
 * The diff as an aligned table, one row per line, `-` for an expected row that is missing and `+` for a row the
 * result has that was not expected.
 *
 * @example
 * ```ts
 * formatRowDiff({ missing: [{ v: 1 }], unexpected: [{ v: 2 }] }, ['v']);
 * // '    v\n  - 1\n  + 2'
 * ```
 */
export function formatRowDiff(diff: RowDiff, columns: readonly string[]): string {
  const show = (v: number | string | null | undefined): string => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : v);
  const lines: Array<[string, string[]]> = [
    ['  ', [...columns]],
    ...diff.missing.map((r): [string, string[]] => ['- ', columns.map((c) => show(r[c]))]),
    ...diff.unexpected.map((r): [string, string[]] => ['+ ', columns.map((c) => show(r[c]))]),
  ];
  const widths = columns.map((_, i) => Math.max(...lines.map(([, cells]) => [...cells[i]!].length)));
  return lines.map(([mark, cells]) => `  ${mark}${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd()).join('\n');
}
