// What a unit test's inputs must agree with: the tables the SQL reads, and the columns those tables really have.
import type { ColumnEntry } from '../database/introspection.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';
import type { UnitTest } from './unit-test.ts';

/** One thing wrong with a test's inputs, at its place in the metric file. */
export interface InputProblem {
  code: 'TEST_INPUT_UNKNOWN' | 'TEST_INPUT_MISSING' | 'TEST_COLUMN_UNKNOWN';
  message: string;
  hint: string;
  at: FilePosition;
}

/** Columns by lower-case table name, in table order. */
export function columnsByTable(columns: readonly ColumnEntry[]): Map<string, ColumnEntry[]> {
  const out = new Map<string, ColumnEntry[]>();
  for (const c of columns) out.set(c.table.toLowerCase(), [...(out.get(c.table.toLowerCase()) ?? []), c]);
  return out;
}

/**
 * Checks a test's `given` against the tables its metric's SQL reads (`reads`, lower case) and, for tables the
 * project database has, against their real columns. CSV fixtures are checked when they are read.
 */
export function inputProblems(test: UnitTest, reads: readonly string[], columns: ReadonlyMap<string, ColumnEntry[]>): InputProblem[] {
  const problems: InputProblem[] = [];
  const given = new Set(test.given.map((g) => g.table.toLowerCase()));
  for (const input of test.given) {
    const key = input.table.toLowerCase();
    if (!reads.includes(key)) {
      const s = didYouMean(input.table, reads);
      problems.push({
        code: 'TEST_INPUT_UNKNOWN', at: input.at,
        message: `test "${test.name}" gives table "${input.table}", which the SQL does not read${s ? ` (did you mean "${s}"?)` : ''}`,
        hint: reads.length > 0 ? `the SQL reads: ${reads.join(', ')}` : 'the SQL reads no table: remove given entries',
      });
      continue;
    }
    const real = columns.get(key);
    if (!real) continue;
    const names = real.map((c) => c.column);
    for (const [column, at] of Object.entries(input.columnsAt)) {
      if (names.some((n) => n.toLowerCase() === column)) continue;
      const written = Object.keys(input.rows.find((r) => Object.keys(r).some((k) => k.toLowerCase() === column)) ?? {}).find((k) => k.toLowerCase() === column) ?? column;
      const s = didYouMean(written, names);
      problems.push({
        code: 'TEST_COLUMN_UNKNOWN', at,
        message: `test "${test.name}": table ${input.table} has no column "${written}"${s ? ` (did you mean "${s}"?)` : ''}`,
        hint: `columns of ${input.table}: ${names.join(', ')}`,
      });
    }
  }
  for (const table of reads) {
    if (given.has(table)) continue;
    problems.push({
      code: 'TEST_INPUT_MISSING', at: test.at,
      message: `test "${test.name}" does not give table "${table}", which the SQL reads`,
      hint: `add it under given: ${table}: [{ … }] with the rows the test needs, or ${table}: [] for an empty table`,
    });
  }
  return problems;
}

/** Checks the columns a test expects against the columns the metric returns. */
export function expectProblems(test: UnitTest, resultColumns: readonly string[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const lower = resultColumns.map((c) => c.toLowerCase());
  for (const [column, at] of Object.entries(test.expect.columnsAt)) {
    if (lower.includes(column)) continue;
    const written = Object.keys(test.expect.rows.find((r) => Object.keys(r).some((k) => k.toLowerCase() === column)) ?? {}).find((k) => k.toLowerCase() === column) ?? column;
    const s = didYouMean(written, resultColumns);
    problems.push({
      code: 'TEST_COLUMN_UNKNOWN', at,
      message: `test "${test.name}" expects column "${written}", which the metric does not return${s ? ` (did you mean "${s}"?)` : ''}`,
      hint: `the metric returns: ${resultColumns.join(', ')}`,
    });
  }
  if (test.expect.columns === 'all') {
    const extra = resultColumns.filter((c) => !(c.toLowerCase() in test.expect.columnsAt));
    if (extra.length > 0 && test.expect.rows.length > 0) {
      problems.push({
        code: 'TEST_COLUMN_UNKNOWN', at: test.expect.at,
        message: `test "${test.name}" has columns: all, but its expected rows leave out ${extra.join(', ')}`,
        hint: 'list every column the metric returns in the expected rows, or remove columns: all to compare only the columns written',
      });
    }
  }
  return problems;
}
