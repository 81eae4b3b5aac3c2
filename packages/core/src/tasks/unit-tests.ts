// Unit tests inside the verbs: their checks in validate, their run before a build, their failures as diagnostics.
import type { Database } from '../database/database.ts';
import { readColumns } from '../database/introspection.ts';
import type { ColumnEntry } from '../database/introspection.ts';
import { trimStatement } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import { metricFrame } from '../metrics/metric-loader.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';
import type { ParsedSql } from '../project/sql-parse.ts';
import type { UnitTestResult } from '../results.ts';
import { formatRowDiff } from '../unit-tests/compare-rows.ts';
import { columnsByTable, expectProblems, inputProblems } from '../unit-tests/test-inputs.ts';
import { runUnitTests } from '../unit-tests/unit-test-runner.ts';

/** Lower-case names of the tables a metric's SQL reads (CTE names removed), each once. */
export function sqlReads(parsed: ParsedSql | undefined): string[] {
  return [...new Set((parsed?.tables ?? []).map((t) => t.name.toLowerCase()))];
}

/**
 * The columns of the tables in `reads` (lower case): those in `known` (the sources, as validation read them) from
 * there, the rest (upstream metrics) from `db` as it is now. One query of `information_schema` is 10-20 ms.
 */
async function inputColumns(db: Database, reads: readonly string[], known: ReadonlyMap<string, ColumnEntry[]> | undefined): Promise<Map<string, ColumnEntry[]>> {
  const columns = columnsByTable(await readColumns(db, reads.filter((t) => !known?.has(t))));
  for (const t of reads) if (known?.has(t)) columns.set(t, known.get(t)!);
  return columns;
}

/** Runs a metric's unit tests with input types taken from `db` (the project database as it is now), or `known`. */
export async function runMetricTests(db: Database, metric: Metric, parsed: ParsedSql | undefined, config: { root: string; timezone: string; sandbox: boolean }, known?: ReadonlyMap<string, ColumnEntry[]>): Promise<UnitTestResult[]> {
  return (await startMetricTests(db, metric, parsed, config, known)).results;
}

/**
 * Reads the tests' input types on `db`, then starts the tests (each in an in-memory database of its own) and
 * resolves without waiting for them: `db` is free again, so the build can write its staging table while they run.
 */
export async function startMetricTests(db: Database, metric: Metric, parsed: ParsedSql | undefined, config: { root: string; timezone: string; sandbox: boolean }, known?: ReadonlyMap<string, ColumnEntry[]>): Promise<{ results: Promise<UnitTestResult[]> }> {
  const reads = sqlReads(parsed);
  const columns = await inputColumns(db, reads, known);
  return { results: runUnitTests({ metric, reads, columns, root: config.root, timezone: config.timezone, sandbox: config.sandbox }) };
}

/**
 * What validate says about a metric's unit tests: inputs the SQL does not read or that are missing, columns the
 * input tables or the result do not have (did-you-mean against the real columns), each at its line. Runs inside the
 * validation transaction, where upstream metrics are views, so `DESCRIBE` of the SQL gives the result's columns.
 */
export async function validateUnitTests(db: Database, metric: Metric, parsed: ParsedSql | undefined, known?: ReadonlyMap<string, ColumnEntry[]>): Promise<Diagnostic[]> {
  if (metric.tests.length === 0) return [];
  const reads = sqlReads(parsed);
  const columns = await inputColumns(db, reads, known);
  let resultColumns: string[] | undefined;
  try {
    resultColumns = (await db.all<{ name: string }>(`SELECT column_name AS name FROM (DESCRIBE ${trimStatement(metric.sql)})`)).map((r) => r.name);
  } catch {
    // The SQL itself is reported by the validators; the expected columns are then checked when the test runs.
    resultColumns = undefined;
  }
  const out: Diagnostic[] = [];
  for (const test of metric.tests) {
    const problems = [...inputProblems(test, reads, columns), ...(resultColumns ? expectProblems(test, resultColumns) : [])];
    for (const p of problems) out.push(at(metric, p.at, p.code, p.message, p.hint));
  }
  return out;
}

/** A failed or broken unit test as the error of the metric's build: name, file and line, and the rows that differ. */
export function unitTestDiagnostic(metric: Metric, result: UnitTestResult): Diagnostic {
  const diff = result.diff && result.columns ? `\n${formatRowDiff(result.diff, result.columns)}` : '';
  const what = result.status === 'fail' ? `unit test "${result.test}" failed: ${result.message}` : `unit test "${result.test}" could not run: ${result.message}`;
  const d = at(metric, { line: result.line, column: 1 }, result.status === 'fail' ? 'UNIT_TEST_FAILED' : 'UNIT_TEST_ERROR', `${what}${diff}`,
    result.status === 'fail' ? 'the previous table was kept; "-" rows were expected and are missing, "+" rows came out but were not expected; fix the SQL or the test (duckmetrics test --unit)' : 'the previous table was kept; fix the test at this line (duckmetrics validate checks tests too)');
  delete d.frame;
  return d;
}

function at(metric: Metric, position: FilePosition, code: string, message: string, hint: string): Diagnostic {
  const d: Diagnostic = { severity: 'error', code, message, file: metric.file, line: position.line, column: position.column, hint };
  const frame = metricFrame(metric, position);
  if (frame !== undefined) d.frame = frame;
  return d;
}
