// The sandbox's rule on metric SQL, from DuckDB's parse: every function it calls is on the allow-list.
import type { Check } from '../checks/checks.ts';
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';
import type { Diagnostic, PluginDiagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import { metricFrame } from '../metrics/metric-loader.ts';
import { toFileDiagnostic } from '../metrics/metric-diagnostics.ts';
import { ALLOWED_FUNCTION_NAMES, ALLOWED_TABLE_FUNCTIONS, ALLOWED_TABLE_FUNCTION_NAMES, refusedGroup } from './allowed-functions.ts';
import type { FunctionCall, ParsedSql } from './sql-parse.ts';
import { keywordOffset } from './sql-text.ts';
import { PREVIEW_SCHEMA, PREVIOUS_SCHEMA } from './namespace.ts';

const DOCS = 'the allowed functions, and how to extend the list, are in docs/security.md of the duckmetrics repository';
/** Schemas of DuckDB's own catalog views (`pg_catalog.pg_settings` is `duckdb_settings()`). */
const SYSTEM_SCHEMAS = new Set(['information_schema', 'pg_catalog']);
/** Schemas of tables that are not published: a metric reading them would publish what nobody approved. */
const RESERVED_SCHEMAS = new Set([PREVIEW_SCHEMA, PREVIOUS_SCHEMA]);

/** Where DuckDB defines the functions the committed lists do not name: lower-case name → lower-case schemas. */
type Catalogue = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Adds `SANDBOX` diagnostics for everything in each metric's SQL (and its `expression` / `sql` checks) that is not
 * known to be pure: a function or table function not on the allow-list, a function a plugin or extension defined
 * in a schema, a `SUMMARIZE` / `DESCRIBE` / `SHOW` inside a query, a view of DuckDB's catalog. One diagnostic per
 * offending name, at its first position. Nothing runs: this reads the parse, so `validate` and `run` refuse the same
 * metrics before DuckDB binds anything. A name DuckDB does not know at all (a typo) is left to DuckDB, whose error
 * says so; finding those takes one look at `duckdb_functions()`, only when some name is on neither list.
 */
export async function addSandboxRules(db: Database, metrics: readonly Metric[], parsed: ReadonlyMap<Metric, ParsedSql>, errorsOf: (m: Metric) => Diagnostic[]): Promise<void> {
  const catalogue = await lookUpUnlisted(db, [...parsed.values()].flatMap((p) => [p, ...p.checks.values()]));
  for (const metric of metrics) {
    const p = parsed.get(metric);
    if (!p) continue;
    const errors = errorsOf(metric);
    for (const problem of problems(p, metric.sql, catalogue)) errors.push(toFileDiagnostic(metric, { code: 'SANDBOX', ...problem }));
    for (const [check, checkParsed] of p.checks) {
      for (const problem of problems(checkParsed, undefined, catalogue)) errors.push(checkDiagnostic(metric, check, problem));
    }
  }
}

/** The schemas defining each name that neither list holds, or that is called with a schema of its own. */
async function lookUpUnlisted(db: Database, parses: readonly ParsedSql[]): Promise<Catalogue> {
  const names = new Set<string>();
  for (const call of parses.flatMap((p) => p.calls)) {
    if (!listed(call.name) || !builtinSchema(call)) names.add(call.name);
    if (call.aggregate && !listed(call.aggregate)) names.add(call.aggregate);
  }
  const catalogue = new Map<string, Set<string>>();
  if (names.size === 0) return catalogue;
  const rows = await db.all<{ name: string; schema: string }>(
    `SELECT DISTINCT lower(function_name) AS name, lower(schema_name) AS schema FROM duckdb_functions() WHERE lower(function_name) IN (${[...names].map(quoteLiteral).join(', ')})`,
  );
  for (const row of rows) catalogue.set(row.name, (catalogue.get(row.name) ?? new Set()).add(row.schema));
  return catalogue;
}

function listed(name: string): boolean {
  return ALLOWED_FUNCTION_NAMES.has(name) || ALLOWED_TABLE_FUNCTION_NAMES.has(name) || refusedGroup(name) !== undefined;
}

type Problem = Pick<PluginDiagnostic, 'message' | 'hint' | 'sqlOffset'>;

function problems(parsed: ParsedSql, sql: string | undefined, catalogue: Catalogue): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const once = (key: string, problem: () => Problem): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(problem());
  };
  for (const call of parsed.calls) {
    const refusal = refuse(call, catalogue);
    if (refusal) once(`${call.kind}:${label(call)}`, () => at(refusal, call.offset));
    if (call.aggregate === null) {
      once(`aggregate-expression:${call.name}`, () => at({
        message: `${call.name}() must name its aggregate with a string literal in metric SQL (e.g. ${call.name}(l, 'sum'))`,
        hint: `write the aggregate's name as a literal so it can be checked against the allow-list; ${DOCS}`,
      }, call.offset));
    } else if (call.aggregate !== undefined) {
      const named = refuse({ name: call.aggregate, kind: 'scalar' }, catalogue);
      if (named) once(`scalar:${call.aggregate}`, () => at(named, call.offset));
    }
  }
  for (const show of parsed.shows.filter((s) => !s.statement)) {
    once(`show:${show.keyword}`, () => at({
      message: `${show.keyword} inside a query is not allowed in metric SQL: it ${show.keyword === 'SUMMARIZE' ? "is DuckDB's summary() table function" : "reads DuckDB's catalog"}`,
      hint: `compute what you need with listed functions (count, min, max, approx_count_distinct, …) over the table; ${DOCS}`,
    }, sql === undefined ? undefined : keywordOffset(sql, [show.keyword, ...(show.keyword === 'DESCRIBE' ? ['SHOW'] : [])])));
  }
  for (const ref of parsed.tables) {
    if (ref.schema !== undefined && RESERVED_SCHEMAS.has(ref.schema.toLowerCase())) {
      once(`reserved:${ref.schema.toLowerCase()}.${ref.name.toLowerCase()}`, () => at({
        message: `reads ${ref.schema}.${ref.name}: the schema ${ref.schema} is duckmetrics' own (unpublished previews or replaced versions), which metric SQL may not read`,
        hint: `read the published table by its name (${ref.name}); ${DOCS}`,
      }, ref.offset));
      continue;
    }
    if (ref.schema === undefined || !SYSTEM_SCHEMAS.has(ref.schema.toLowerCase())) continue;
    const name = `${ref.schema}.${ref.name}`;
    once(`view:${name.toLowerCase()}`, () => at({
      message: `reads ${name}, a view of DuckDB's catalog, which metric SQL may not read`,
      hint: `read sources and other metrics by table name (and duckmetrics' run history from _duckmetrics.runs); ${DOCS}`,
    }, ref.offset));
  }
  return out;
}

/** Why `call` is refused, or undefined when it is allowed (or unknown to DuckDB, which then refuses it itself). */
function refuse(call: FunctionCall, catalogue: Catalogue): Omit<Problem, 'sqlOffset'> | undefined {
  const table = call.kind === 'table';
  const what = `${table ? 'table function' : /^\w/.test(call.name) ? 'function' : 'operator'} ${label(call)}`;
  if (!builtinSchema(call) && catalogue.get(call.name)?.has(call.schema!.toLowerCase())) {
    return {
      message: `${what} is not allowed in metric SQL: it is defined in schema ${call.schema} (by a plugin or an extension), and only DuckDB's built-in functions are on the list`,
      hint: `compute it with listed functions; ${DOCS}`,
    };
  }
  // Any other qualifier is DuckDB's (main, pg_catalog) or a column: `name.upper()` is upper(name).
  if (table ? ALLOWED_TABLE_FUNCTION_NAMES.has(call.name) : ALLOWED_FUNCTION_NAMES.has(call.name)) return undefined;
  const group = refusedGroup(call.name);
  const scalarInFrom = table && ALLOWED_FUNCTION_NAMES.has(call.name) && !group?.names.includes(call.name);
  if (group && !scalarInFrom) return { message: `${what} is not allowed in metric SQL: it ${group.reason}`, hint: `${group.hint}; ${DOCS}` };
  // DuckDB refuses itself a name it does not know, and a table function outside FROM (`SELECT json_each(j)`).
  if ((!listed(call.name) && !catalogue.has(call.name)) || (!table && ALLOWED_TABLE_FUNCTION_NAMES.has(call.name))) return undefined;
  if (table) {
    return {
      message: `${what} is not allowed in metric SQL: ${scalarInFrom ? `${call.name} is a scalar function, and ` : ''}the only table functions it may read from are ${ALLOWED_TABLE_FUNCTIONS.join(', ')}`,
      hint: `build rows with range(), generate_series() or unnest(), or read a source by table name; ${DOCS}`,
    };
  }
  return {
    message: `${what} is not on the sandbox's list of functions metric SQL may call (it is not one of DuckDB's pure built-in functions: a macro, or a function of an extension)`,
    hint: `compute it with listed functions; ${DOCS}`,
  };
}

/** DuckDB's built-ins live in schemas `main` and `pg_catalog` (DuckDB itself writes `main.list_value` for `[…]`). */
function builtinSchema(call: FunctionCall): boolean {
  const schema = call.schema?.toLowerCase();
  return schema === undefined || schema === 'main' || schema === 'pg_catalog';
}

function label(call: FunctionCall): string {
  const name = [call.catalog, call.schema, call.name].filter((p) => p !== undefined).join('.');
  return /^\w/.test(call.name) ? `${name}()` : name;
}

function at(problem: Omit<Problem, 'sqlOffset'>, offset: number | undefined): Problem {
  return offset === undefined ? problem : { ...problem, sqlOffset: offset };
}

/** A problem in a check's SQL, placed at the check in the metric file. */
function checkDiagnostic(metric: Metric, check: Check, problem: Problem): Diagnostic {
  const d: Diagnostic = {
    severity: 'error', code: 'SANDBOX', file: metric.file, line: check.at.line, column: check.at.column,
    message: `check ${check.name}: ${problem.message}`,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  };
  const frame = metricFrame(metric, check.at);
  if (frame !== undefined) d.frame = frame;
  return d;
}
