// Running one metric's unit tests: each in an in-memory catalog of its own under the sandbox, inputs typed like the project's tables.
import { randomUUID } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../database/database.ts';
import { duckdbErrorText } from '../database/database.ts';
import { openDuckDatabase } from '../database/duckdb.ts';
import type { DuckDatabase } from '../database/duckdb.ts';
import type { ColumnEntry } from '../database/introspection.ts';
import { quoteIdent, quoteLiteral, sqlValue, trimStatement } from '../database/sql.ts';
import { errorMessage } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { sqlErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { UnitTestResult } from '../results.ts';
import { compareRows } from './compare-rows.ts';
import type { ComparedRow } from './compare-rows.ts';
import { withFixedClock } from './fixed-clock.ts';
import { expectProblems, inputProblems } from './test-inputs.ts';
import type { TestRow, UnitTest, UnitTestInput } from './unit-test.ts';

/** What running a metric's tests needs from the project. */
export interface UnitTestTarget {
  metric: Metric;
  /** Lower-case names of the tables the metric's SQL reads. */
  reads: readonly string[];
  /** Real columns of those tables in the project database, by lower-case table name. */
  columns: ReadonlyMap<string, ColumnEntry[]>;
  /** Project root: fixture files must stay inside it. */
  root: string;
  /** Session time zone of the test database (the project's `timezone`). */
  timezone?: string;
  /** Lock the test database down as builds are (no files, network or extensions). Default true. */
  sandbox?: boolean;
}

const SCHEMA = '_duckmetrics_test';
const INTEGER_TYPE = /^(?:U?(?:TINY|SMALL|BIG|HUGE)?INT(?:EGER)?|INT\d+)$/i;
const FRACTION_TYPE = /^(?:FLOAT|REAL|DOUBLE|DECIMAL(?:\(\d+,\s*\d+\))?|NUMERIC(?:\(\d+,\s*\d+\))?)$/i;

/** A failure of the test's own making (bad input, bad expected value): reported as the test's `error`. */
class TestSetupError extends Error {}

/** Runs every unit test of `target.metric`, one after the other; never rejects. */
export async function runUnitTests(target: UnitTestTarget): Promise<UnitTestResult[]> {
  const out: UnitTestResult[] = [];
  for (const test of target.metric.tests) out.push(await runUnitTest(target, test));
  return out;
}

async function runUnitTest(target: UnitTestTarget, test: UnitTest): Promise<UnitTestResult> {
  const { metric } = target;
  const t0 = performance.now();
  const result = (status: UnitTestResult['status'], message: string, extra: Partial<UnitTestResult> = {}): UnitTestResult => ({
    metric: metric.name, file: metric.file, test: test.name, line: test.at.line, status, message, ...extra, durationMs: Math.round((performance.now() - t0) * 10) / 10,
  });
  const problem = inputProblems(test, target.reads, target.columns)[0];
  if (problem) return result('error', `${problem.message}; ${problem.hint}`, { line: problem.at.line });
  const { db, lockDown, release } = await testDatabase(target, test);
  try {
    for (const input of test.given) await createInput(db, input, target);
    let sql = trimStatement(metric.sql);
    if (test.now !== undefined) {
      sql = await withFixedClock(db, sql, test.now).catch((error: unknown) => {
        throw new TestSetupError(`now: "${test.now}" is not a timestamp (${duckdbErrorText(errorMessage(error))}); write e.g. now: 2024-03-01 10:00:00`);
      });
    }
    await lockDown();
    await db.run(`CREATE SCHEMA ${SCHEMA}`);
    try {
      await db.run(`CREATE TABLE ${SCHEMA}.result AS\n${sql}\n`);
    } catch (error) {
      const d = sqlErrorDiagnostic(metric, error, 1);
      return result('error', `the SQL failed on the given rows: ${d.message}`, { line: d.line ?? metric.sqlLine });
    }
    const described = await db.all<{ name: string; type: string }>(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE ${SCHEMA}.result)`);
    const expectProblem = expectProblems(test, described.map((c) => c.name))[0];
    if (expectProblem) return result('error', `${expectProblem.message}; ${expectProblem.hint}`, { line: expectProblem.at.line });
    const compared = described.filter((c) => c.name.toLowerCase() in test.expect.columnsAt);
    await createExpected(db, test, compared);
    const render = compared.map((c) => `${FRACTION_TYPE.test(c.type) ? `CAST(${quoteIdent(c.name)} AS DOUBLE)` : `CAST(${quoteIdent(c.name)} AS VARCHAR)`} AS ${quoteIdent(c.name)}`).join(', ');
    // Whole numbers are compared as text (exact at any size) and shown as numbers when they are safe integers.
    const integers = compared.filter((c) => INTEGER_TYPE.test(c.type)).map((c) => c.name);
    const asNumbers = (row: ComparedRow): ComparedRow => {
      for (const c of integers) if (typeof row[c] === 'string' && Number.isSafeInteger(Number(row[c]))) row[c] = Number(row[c]);
      return row;
    };
    const read = async (table: string): Promise<ComparedRow[]> => (render === '' ? (await db.all(`SELECT 1 FROM ${SCHEMA}.${table}`)).map(() => ({})) : (await db.all<ComparedRow>(`SELECT ${render} FROM ${SCHEMA}.${table}`)).map(asNumbers));
    const expected = await read('expected');
    const actual = await read('actual_rows');
    const columns = compared.map((c) => c.name);
    const diff = compareRows(expected, actual, { order: test.expect.order, tolerance: test.expect.tolerance, columns });
    if (diff.missing.length === 0 && diff.unexpected.length === 0) return result('pass', `${plural(actual.length, 'row')} as expected`);
    const parts = [diff.missing.length > 0 ? `${plural(diff.missing.length, 'expected row')} missing` : '', diff.unexpected.length > 0 ? `${plural(diff.unexpected.length, 'unexpected row')}` : ''].filter(Boolean);
    return result('fail', `${parts.join(', ')} (${plural(expected.length, 'row')} expected, ${actual.length} returned${test.expect.order === 'exact' ? ', compared in order' : ''})`, { diff, columns });
  } catch (error) {
    if (error instanceof TestSetupError) return result('error', error.message);
    return result('error', `the test could not run: ${duckdbErrorText(errorMessage(error))}`);
  } finally {
    await release();
  }
}

/** One in-memory DuckDB per time zone, locked down, shared by the process's unit tests (each in a catalog of its own). */
const hosts = new Map<string, Promise<DuckDatabase>>();
let catalogs = 0;

function testHost(timezone: string | undefined): Promise<DuckDatabase> {
  const key = timezone ?? '';
  let host = hosts.get(key);
  if (!host) {
    host = (async () => {
      const db = await openDuckDatabase(':memory:', { settings: { threads: '1' } });
      // The time zone is a session setting, and the lockdown locks every setting: new connections take the global.
      if (timezone) await db.run(`SET GLOBAL TimeZone = ${quoteLiteral(timezone)}`);
      await db.lockDown();
      return db;
    })();
    hosts.set(key, host);
    host.catch(() => hosts.delete(key));
  }
  return host;
}

/**
 * Where a test runs. A test with only inline rows gets a fresh in-memory catalog (`ATTACH ':memory:'`, then `USE`)
 * on a connection of its own to the shared, already locked-down host: 1-2 ms, where creating a DuckDB instance is
 * 15-22 ms of a 35-45 ms test (docs/benchmarks.md). Its name is unguessable, and metric SQL never names a
 * catalog that validation did not bind in the project database. A test with a CSV fixture (read before the
 * lockdown), or with the sandbox off, gets an in-memory DuckDB of its own, as before.
 */
async function testDatabase(target: UnitTestTarget, test: UnitTest): Promise<{ db: Database; lockDown: () => Promise<void>; release: () => Promise<void> }> {
  if (target.sandbox === false || test.given.some((input) => input.csv)) {
    const own = await openDuckDatabase(':memory:', { settings: { threads: '1' } });
    if (target.timezone) await own.run(`SET TimeZone = ${quoteLiteral(target.timezone)}`);
    return { db: own, lockDown: async () => (target.sandbox === false ? undefined : own.lockDown()), release: async () => own.close() };
  }
  const connection = await (await testHost(target.timezone)).lease();
  const catalog = quoteIdent(`_duckmetrics_unit_${++catalogs}_${randomUUID().replaceAll('-', '')}`);
  await connection.run(`ATTACH ':memory:' AS ${catalog}; USE ${catalog}`);
  const release = async (): Promise<void> => {
    await connection.run(`USE memory; DETACH ${catalog}`).catch(() => undefined);
    connection.release();
  };
  // The host was locked down before its first test: nothing to do once the inputs are in.
  return { db: connection, lockDown: async () => undefined, release };
}

/** Creates one given table: the real columns and types when the project has the table, else types from the values. */
async function createInput(db: Database, input: UnitTestInput, target: UnitTestTarget): Promise<void> {
  const table = quoteIdent(input.table);
  const real = target.columns.get(input.table.toLowerCase());
  const name = `given ${input.table}`;
  if (input.csv) {
    const csv = await fixturePath(input.csv, target.root);
    const reader = `read_csv(${quoteLiteral(csv)}, header = true${real ? ', all_varchar = true' : ''})`;
    if (!real) {
      await guard(name, db.run(`CREATE TABLE ${table} AS SELECT * FROM ${reader}`));
      return;
    }
    const columns = (await guard(name, db.all<{ name: string }>(`SELECT column_name AS name FROM (DESCRIBE SELECT * FROM ${reader})`))).map((c) => c.name);
    const unknown = columns.find((c) => !real.some((r) => r.column.toLowerCase() === c.toLowerCase()));
    if (unknown !== undefined) throw new TestSetupError(`${input.csv.file}: table ${input.table} has no column "${unknown}" (its columns: ${real.map((r) => r.column).join(', ')})`);
    await createTyped(db, table, real, name);
    const typeOf = (c: string): string => real.find((r) => r.column.toLowerCase() === c.toLowerCase())!.type;
    await guard(`${input.csv.file}`, db.run(`INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) SELECT ${columns.map((c) => `CAST(${quoteIdent(c)} AS ${typeOf(c)})`).join(', ')} FROM ${reader}`));
    return;
  }
  const columns = columnNames(input.rows);
  if (real) {
    await createTyped(db, table, real, name);
    if (input.rows.length === 0) return;
    const typeOf = (c: string): string => real.find((r) => r.column.toLowerCase() === c.toLowerCase())!.type;
    const values = input.rows.map((row) => `(${columns.map((c) => castValue(valueOf(row, c), typeOf(c), `${input.table}.${c}`)).join(', ')})`);
    await guard(name, db.run(`INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) VALUES ${values.join(', ')}`));
    return;
  }
  if (columns.length === 0) {
    throw new TestSetupError(`given ${input.table} has no rows, and the project database has no table ${input.table} to take its columns from; give at least one row, or load or build it first (duckmetrics build)`);
  }
  const values = input.rows.map((row) => `(${columns.map((c) => sqlValue(valueOf(row, c))).join(', ')})`);
  await guard(name, db.run(`CREATE TABLE ${table} AS SELECT * FROM (VALUES ${values.join(', ')}) AS v(${columns.map(quoteIdent).join(', ')})`));
}

/** The expected rows as a table with the result's column types, so both sides are written the same way. */
async function createExpected(db: Database, test: UnitTest, compared: ReadonlyArray<{ name: string; type: string }>): Promise<void> {
  await db.run(`ALTER TABLE ${SCHEMA}.result RENAME TO actual_rows`);
  if (compared.length === 0) {
    await db.run(`CREATE TABLE ${SCHEMA}.expected AS SELECT 1 AS one FROM range(${test.expect.rows.length})`);
    return;
  }
  await db.run(`CREATE TABLE ${SCHEMA}.expected (${compared.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
  if (test.expect.rows.length === 0) return;
  const values = test.expect.rows.map((row) => `(${compared.map((c) => castValue(valueOf(row, c.name), c.type, `expected ${c.name}`)).join(', ')})`);
  await guard('expect', db.run(`INSERT INTO ${SCHEMA}.expected VALUES ${values.join(', ')}`));
}

async function createTyped(db: Database, table: string, real: readonly ColumnEntry[], name: string): Promise<void> {
  await guard(name, db.run(`CREATE TABLE ${table} (${real.map((c) => `${quoteIdent(c.column)} ${c.type}`).join(', ')})`));
}

/** A value as a literal cast to the column's type; a fraction written for a whole-number column is refused, not rounded. */
function castValue(value: unknown, type: string, where: string): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${type})`;
  if (INTEGER_TYPE.test(type) && ((typeof value === 'number' && !Number.isInteger(value)) || (typeof value === 'string' && /^\s*-?\d*\.\d*[1-9]/.test(value)))) {
    throw new TestSetupError(`${where} is ${type}, a whole number, but the test writes ${JSON.stringify(value)} (DuckDB would round it)`);
  }
  return `CAST(${sqlValue(value)} AS ${type})`;
}

/** A DuckDB failure while setting up the inputs, said as the test's error. */
async function guard<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new TestSetupError(`${what}: ${duckdbErrorText(errorMessage(error))}`);
  }
}

async function fixturePath(csv: { file: string; path: string }, root: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(csv.path);
  } catch {
    throw new TestSetupError(`fixture ${csv.file} does not exist; put the CSV file there (paths are relative to the metric file)`);
  }
  const inside = path.relative(await realpath(root), real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) throw new TestSetupError(`fixture ${csv.file} leads outside the project; keep fixtures inside it`);
  return real;
}

function columnNames(rows: readonly TestRow[]): string[] {
  const out: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!out.some((c) => c.toLowerCase() === k.toLowerCase())) out.push(k);
  return out;
}

function valueOf(row: TestRow, column: string): unknown {
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? null : row[key];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
