// Unit tests of a metric's SQL as written under `tests:` in its file: their types and their normalisation.
import path from 'node:path';
import { didYouMean } from '../did-you-mean.ts';
import type { PluginDiagnostic } from '../diagnostics.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';

/** One row of a unit test: column name to value, as written in YAML. */
export type TestRow = Record<string, unknown>;

/** One input table of a unit test (`given: { orders: [...] }`). */
export interface UnitTestInput {
  /** Table name as written: a source or another metric the SQL reads. */
  table: string;
  /** Rows written in the file (empty for `x: []`, or when `csv` is given). */
  rows: TestRow[];
  /** A fixture CSV (`{ csv: tests/customers.csv }`), resolved against the metric file's folder. */
  csv?: { file: string; path: string };
  /** Where the table is named in the file. */
  at: FilePosition;
  /** Where each column is first written in the rows (lower-case column name → position). */
  columnsAt: Record<string, FilePosition>;
}

/** What the SQL's result must be. */
export interface UnitTestExpect {
  rows: TestRow[];
  /** `any` (default): compared as a multiset; `exact`: row by row in order. */
  order: 'any' | 'exact';
  /** `listed` (default): only the columns written in `rows` are compared; `all`: the result has exactly those. */
  columns: 'listed' | 'all';
  /** Numbers of FLOAT, DOUBLE and DECIMAL columns are equal when they differ by at most this, relative to the larger. */
  tolerance: number;
  at: FilePosition;
  columnsAt: Record<string, FilePosition>;
}

/** One unit test of a metric. */
export interface UnitTest {
  name: string;
  /** Where the test starts in the file. */
  at: FilePosition;
  given: UnitTestInput[];
  expect: UnitTestExpect;
  /** A fixed clock for `now()`, `current_date` and friends, as written (`2024-03-01 10:00:00`). */
  now?: string;
  /** Where `now` is written. */
  nowAt?: FilePosition;
}

/** Relative tolerance for FLOAT, DOUBLE and DECIMAL values when a test does not set `tolerance`. */
export const DEFAULT_TOLERANCE = 1e-9;

const TEST_KEYS = ['name', 'given', 'expect', 'now'];
const EXPECT_KEYS = ['rows', 'order', 'columns', 'tolerance'];
const HINT = 'a unit test is { name, given: { <table>: [rows] | { csv: file } }, expect: { rows: [...] }, now? } (see the "Unit tests" page of the docs)';

/** Finds a position in the metric file: of the value at `path`, or of its key with `{ key: true }`. */
type Locate = (path: Array<string | number>, options?: { key?: boolean }) => FilePosition;
const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date);

/**
 * Reads a metric file's `tests:` into `UnitTest`s; every problem of shape becomes a diagnostic at its line.
 * `metricPath` and `root` place fixture CSV files (next to the metric file, never outside the project).
 */
export function normalizeTests(raw: unknown[] | undefined, locate: Locate, metricPath: string, root: string): { tests: UnitTest[]; diagnostics: PluginDiagnostic[] } {
  const tests: UnitTest[] = [];
  const diagnostics: PluginDiagnostic[] = [];
  const names = new Set<string>();
  (raw ?? []).forEach((item, i) => {
    const problems: PluginDiagnostic[] = [];
    const fail = (where: Array<string | number>, message: string, hint = HINT, key = false): void => {
      const at = locate(['tests', i, ...where], { key });
      problems.push({ code: 'TEST_INVALID', message, line: at.line, column: at.column, hint });
    };
    if (!isMap(item)) {
      fail([], 'a unit test must be a map with name, given and expect');
      diagnostics.push(...problems);
      return;
    }
    for (const key of Object.keys(item)) {
      if (TEST_KEYS.includes(key)) continue;
      const s = didYouMean(key, TEST_KEYS);
      fail([key], `unknown key "${key}" in a unit test${s ? ` (did you mean "${s}"?)` : ''}`, s ? `rename it to "${s}"` : `a unit test has the keys ${TEST_KEYS.join(', ')}`, true);
    }
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (name === '') fail(item.name === undefined ? [] : ['name'], 'a unit test needs a name (name: ltv counts delivered orders only)', 'add name: <what the test shows>');
    else if (names.has(name.toLowerCase())) fail(['name'], `two unit tests are named "${name}"`, 'give each test of a metric its own name');
    names.add(name.toLowerCase());

    const given = readGiven(item.given, (where, message, hint) => fail(['given', ...where], message, hint), (where, o) => locate(['tests', i, 'given', ...where], o), metricPath, root);
    const expect = readExpect(item.expect, (where, message, hint) => fail(where.length === 0 && item.expect === undefined ? [] : ['expect', ...where], message, hint), (where, o) => locate(['tests', i, 'expect', ...where], o));
    let now: string | undefined;
    if (item.now !== undefined) {
      if (item.now instanceof Date) now = item.now.toISOString();
      else if (typeof item.now === 'string' && item.now.trim() !== '') now = item.now.trim();
      else fail(['now'], 'now must be a timestamp, e.g. now: 2024-03-01 10:00:00', 'write now: <timestamp>, optionally with a zone: 2024-03-01 10:00:00+01');
    }
    diagnostics.push(...problems);
    if (problems.length > 0 || given === undefined || expect === undefined) return;
    const test: UnitTest = { name, at: locate(['tests', i]), given, expect };
    if (now !== undefined) Object.assign(test, { now, nowAt: locate(['tests', i, 'now']) });
    tests.push(test);
  });
  return { tests, diagnostics };
}

type Fail = (where: Array<string | number>, message: string, hint?: string) => void;

function readGiven(raw: unknown, fail: Fail, locate: Locate, metricPath: string, root: string): UnitTestInput[] | undefined {
  if (raw === undefined) {
    fail([], 'a unit test needs given: the input tables, e.g. given: { orders: [{ order_id: o1 }] }', 'add given: with a list of rows for each table the SQL reads (x: [] for an empty table)');
    return undefined;
  }
  if (!isMap(raw)) {
    fail([], 'given must map each input table to its rows, e.g. given: { orders: [{ order_id: o1 }] }');
    return undefined;
  }
  const inputs: UnitTestInput[] = [];
  let ok = true;
  const seen = new Set<string>();
  for (const [table, value] of Object.entries(raw)) {
    const at = locate([table], { key: true });
    if (seen.has(table.toLowerCase())) {
      fail([table], `given names table "${table}" twice`, 'give each table once');
      ok = false;
      continue;
    }
    seen.add(table.toLowerCase());
    const input: UnitTestInput = { table, rows: [], at, columnsAt: {} };
    if (isMap(value) && Object.keys(value).length === 1 && ('csv' in value || 'rows' in value)) {
      if ('csv' in value) {
        const csv = resolveFixture(value.csv, metricPath, root);
        if (typeof csv === 'string') {
          fail([table, 'csv'], `${table}: ${csv}`, 'write csv: <path of a CSV file next to the metric file>, e.g. csv: tests/customers.csv');
          ok = false;
          continue;
        }
        input.csv = csv;
        inputs.push(input);
        continue;
      }
      const rows = readRows(value.rows, (where, message) => fail([table, 'rows', ...where], `${table}: ${message}`), (where, o) => locate([table, 'rows', ...where], o), input.columnsAt);
      if (rows === undefined) ok = false;
      else inputs.push({ ...input, rows });
      continue;
    }
    const rows = readRows(value, (where, message) => fail([table, ...where], `${table}: ${message}`), (where, o) => locate([table, ...where], o), input.columnsAt);
    if (rows === undefined) ok = false;
    else inputs.push({ ...input, rows });
  }
  return ok ? inputs : undefined;
}

function readRows(raw: unknown, fail: Fail, locate: Locate, columnsAt: Record<string, FilePosition>): TestRow[] | undefined {
  if (!Array.isArray(raw)) {
    fail([], 'expected a list of rows, e.g. - { order_id: o1, price: 10 } (or [] for no rows, or { csv: file })', 'write each row as a map of column: value');
    return undefined;
  }
  const rows: TestRow[] = [];
  let ok = true;
  raw.forEach((row, r) => {
    if (!isMap(row)) {
      fail([r], `row ${r + 1} must be a map of column: value, e.g. { order_id: o1, price: 10 }`, 'write the row as { column: value, … }');
      ok = false;
      return;
    }
    const seen = new Set<string>();
    for (const [column, value] of Object.entries(row)) {
      const key = column.toLowerCase();
      if (seen.has(key)) {
        fail([r, column], `row ${r + 1} gives column "${column}" twice`, 'give each column once per row');
        ok = false;
      }
      seen.add(key);
      if (!(key in columnsAt)) columnsAt[key] = locate([r, column], { key: true });
      if (typeof value === 'number' && !Number.isFinite(value)) {
        fail([r, column], `row ${r + 1}: ${column} is ${String(value)}, which a table cannot hold`, 'write a finite number, or quote the text');
        ok = false;
      }
    }
    rows.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
  });
  return ok ? rows : undefined;
}

function readExpect(raw: unknown, fail: Fail, locate: Locate): UnitTestExpect | undefined {
  const at = locate([]);
  if (raw === undefined) {
    fail([], 'a unit test needs expect: the rows the SQL must return, e.g. expect: { rows: [{ customer_id: c1, revenue: 12 }] }', 'add expect: { rows: [...] } (rows: [] when the result must be empty)');
    return undefined;
  }
  const columnsAt: Record<string, FilePosition> = {};
  // A bare list is short for { rows: [...] }.
  if (Array.isArray(raw)) {
    const rows = readRows(raw, fail, locate, columnsAt);
    return rows && { rows, order: 'any', columns: 'listed', tolerance: DEFAULT_TOLERANCE, at, columnsAt };
  }
  if (!isMap(raw)) {
    fail([], 'expect must be { rows: [...] }, with order: exact, columns: all or tolerance when needed');
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(raw)) {
    if (EXPECT_KEYS.includes(key)) continue;
    const s = didYouMean(key, EXPECT_KEYS);
    fail([key], `unknown key "${key}" in expect${s ? ` (did you mean "${s}"?)` : ''}`, `expect has the keys ${EXPECT_KEYS.join(', ')}`);
    ok = false;
  }
  if (raw.rows === undefined) {
    fail([], 'expect needs rows: the rows the SQL must return (rows: [] for none)', 'add rows: [...] under expect');
    return undefined;
  }
  const rows = readRows(raw.rows, (where, message, hint) => fail(['rows', ...where], message, hint), (where, o) => locate(['rows', ...where], o), columnsAt);
  const order = raw.order ?? 'any';
  if (order !== 'any' && order !== 'exact') {
    fail(['order'], `order must be any (compare as a multiset) or exact (row by row), found ${JSON.stringify(order)}`, 'write order: exact, or leave it out');
    ok = false;
  }
  const columns = raw.columns ?? 'listed';
  if (columns !== 'listed' && columns !== 'all') {
    fail(['columns'], `columns must be listed (compare the columns written) or all, found ${JSON.stringify(columns)}`, 'write columns: all, or leave it out');
    ok = false;
  }
  const tolerance = raw.tolerance ?? DEFAULT_TOLERANCE;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    fail(['tolerance'], `tolerance must be a number of 0 or more (a relative difference, e.g. 0.001), found ${JSON.stringify(tolerance)}`, 'write tolerance: 0.001, or leave it out');
    ok = false;
  }
  if (!ok || rows === undefined) return undefined;
  return { rows, order: order as UnitTestExpect['order'], columns: columns as UnitTestExpect['columns'], tolerance: tolerance as number, at, columnsAt };
}

/** A fixture path resolved against the metric file's folder; a string says why it cannot be used. */
function resolveFixture(raw: unknown, metricPath: string, root: string): { file: string; path: string } | string {
  if (typeof raw !== 'string' || raw.trim() === '') return 'csv must be the path of a CSV file';
  const absolute = path.resolve(path.dirname(metricPath), raw.trim());
  const relative = path.relative(root, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return `the fixture ${raw} is outside the project`;
  return { file: relative.split(path.sep).join('/'), path: absolute };
}
