// A metric's semantic model checked against its real columns: the time column's type, dimensions, measures as one aggregate each.
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { Metric } from '../metrics/metric.ts';
import { metricFrame } from '../metrics/metric-loader.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';
import { ALLOWED_FUNCTIONS } from '../project/allowed-functions.ts';
import { addSandboxRules } from '../project/sandbox-rules.ts';
import { parseMetricSql } from '../project/sql-parse.ts';
import { columnName, expressionSql, mapExpression, parseExpressions } from './expression-parse.ts';
import type { AstNode } from './expression-parse.ts';
import type { Measure } from './semantic-model.ts';

/** A column of the metric's table (or of its SQL's result) with its DuckDB type. */
export interface TypedColumn {
  name: string;
  type: string;
}

/** A metric's semantic model resolved against its columns, each measure written as one aggregate expression. */
export interface CompiledSemantics {
  time?: TypedColumn;
  dimensions: TypedColumn[];
  /** Lower-case measure name → the measure and its SQL, with other measures inlined (`sum(order_value) / count_star()`). */
  measures: Map<string, { measure: Measure; sql: string }>;
}

/** Aggregate functions DuckDB knows, as its parser names them (`count(*)` is `count_star`). */
export const AGGREGATES: ReadonlySet<string> = new Set([...ALLOWED_FUNCTIONS.aggregates!.trim().split(/\s+/), 'count_star']);

const TIME_TYPE = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;

/**
 * Checks `time`, `dimensions` and `measures` of a metric against `columns`: names with did-you-mean, the time column's
 * type, each measure one aggregate expression parsed by DuckDB (no window, no subquery, no nested aggregate) over
 * columns and other measures, no cycles, and the sandbox allow-list. Every problem is a diagnostic at its line.
 */
export async function compileSemantics(db: Database, metric: Metric, columns: readonly TypedColumn[], options: { sandbox: boolean }): Promise<{ compiled?: CompiledSemantics; diagnostics: Diagnostic[] }> {
  const semantic = metric.semantic;
  const diagnostics: Diagnostic[] = [];
  const fail = (at: FilePosition, code: string, message: string, hint: string): void => {
    const frame = metricFrame(metric, at);
    diagnostics.push({ severity: 'error', code, message, file: metric.file, line: at.line, column: at.column, hint, ...(frame === undefined ? {} : { frame }) });
  };
  if (!semantic) return { compiled: { dimensions: [], measures: new Map() }, diagnostics };
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const names = columns.map((c) => c.name);
  const unknown = (name: string): string => {
    const s = didYouMean(name, names);
    return `${s ? `did you mean "${s}"? ` : ''}the metric's columns are ${names.join(', ')}`;
  };
  const compiled: CompiledSemantics = { dimensions: [], measures: new Map() };
  if (semantic.time) {
    const column = byName.get(semantic.time.name.toLowerCase());
    if (!column) fail(semantic.time.at, 'TIME_INVALID', `time: the metric has no column "${semantic.time.name}"`, unknown(semantic.time.name));
    else if (!TIME_TYPE.test(column.type)) fail(semantic.time.at, 'TIME_INVALID', `time: column ${column.name} is ${column.type}, not a DATE or TIMESTAMP`, `cast it in the SQL (e.g. CAST(${column.name} AS DATE) AS ${column.name}), or name another column`);
    else compiled.time = column;
  }
  for (const d of semantic.dimensions) {
    const column = byName.get(d.name.toLowerCase());
    if (column) compiled.dimensions.push(column);
    else fail(d.at, 'DIMENSION_INVALID', `dimensions: the metric has no column "${d.name}"`, unknown(d.name));
  }
  const parsed = await parseExpressions(db, semantic.measures.map((m) => m.expr));
  const trees = new Map<string, { measure: Measure; node: AstNode; statement: AstNode }>();
  semantic.measures.forEach((measure, i) => {
    const p = parsed[i]!;
    if ('problem' in p) return fail(measure.at, 'MEASURE_INVALID', `measure ${measure.name}: ${p.problem}`, 'write one aggregate expression, e.g. sum(order_value), or one over other measures, e.g. revenue / orders');
    const problem = measureProblem(p.node, measure, semantic.measures, byName, unknown);
    if (problem) return fail(measure.at, 'MEASURE_INVALID', `measure ${measure.name}: ${problem.message}`, problem.hint);
    trees.set(measure.name.toLowerCase(), { measure, ...p });
  });
  if (options.sandbox && semantic.measures.length > 0) {
    const pseudo: Metric[] = semantic.measures.map((m) => ({ ...metric, sql: `SELECT ${m.expr}`, checks: [], sqlLine: m.at.line }));
    const found = new Map(pseudo.map((p) => [p, [] as Diagnostic[]]));
    await addSandboxRules(db, pseudo, await parseMetricSql(db, pseudo), (p) => found.get(p)!);
    pseudo.forEach((p, i) => {
      for (const d of found.get(p)!) {
        trees.delete(semantic.measures[i]!.name.toLowerCase());
        fail(semantic.measures[i]!.at, 'SANDBOX', `measure ${semantic.measures[i]!.name}: ${d.message}`, d.hint ?? '');
      }
    });
  }
  // Inline measures used by other measures; a cycle is reported once, at each measure on it.
  const inlined = new Map<string, AstNode | null>();
  const resolve = (key: string, path: string[]): AstNode | null => {
    if (inlined.has(key)) return inlined.get(key)!;
    const tree = trees.get(key);
    if (!tree) return null;
    if (path.includes(key)) {
      const cycle = [...path.slice(path.indexOf(key)), key].map((k) => trees.get(k)!.measure.name);
      for (const k of new Set(path.slice(path.indexOf(key)))) {
        if (inlined.get(k) === null) continue;
        inlined.set(k, null);
        fail(trees.get(k)!.measure.at, 'MEASURE_CYCLE', `measure ${trees.get(k)!.measure.name} is part of a cycle: ${cycle.join(' → ')}`, 'a measure may use other measures, but not itself through them');
      }
      return null;
    }
    let broken = false;
    const node = mapExpression(tree.node, AGGREGATES, (n, context) => {
      const name = columnName(n);
      if (name === undefined || context.insideAggregate || !trees.has(name.toLowerCase()) && !semantic.measures.some((m) => m.name.toLowerCase() === name.toLowerCase())) return undefined;
      const used = resolve(name.toLowerCase(), [...path, key]);
      if (used === null) broken = true;
      return used ?? n;
    });
    if (!inlined.has(key)) inlined.set(key, broken ? null : node);
    return inlined.get(key)!;
  };
  for (const key of trees.keys()) resolve(key, []);
  const ready = [...trees.entries()].filter(([key]) => inlined.get(key));
  const sql = await expressionSql(db, ready.map(([key, t]) => ({ node: inlined.get(key)!, statement: t.statement })));
  ready.forEach(([key, t], i) => compiled.measures.set(key, { measure: t.measure, sql: sql[i]! }));
  return diagnostics.length === 0 ? { compiled, diagnostics } : { diagnostics };
}

/** Why a measure's tree is not one aggregate over columns and other measures, or undefined when it is. */
function measureProblem(node: AstNode, measure: Measure, measures: readonly Measure[], columns: ReadonlyMap<string, TypedColumn>, unknown: (name: string) => string): { message: string; hint: string } | undefined {
  let problem: { message: string; hint: string } | undefined;
  let aggregates = 0;
  let uses = 0;
  const measureNames = measures.map((m) => m.name);
  mapExpression(node, AGGREGATES, (n, context) => {
    if (problem) return n;
    const name = columnName(n);
    if (n.class === 'WINDOW') problem = { message: 'a window function is not a measure', hint: 'write an aggregate such as sum(x); metric queries group by time and dimensions themselves' };
    else if (n.class === 'SUBQUERY') problem = { message: 'a subquery is not allowed in a measure', hint: 'compute it in the metric SQL as a column, and aggregate that column' };
    else if (n.class === 'STAR' || n.class === 'COLUMNS' || n.class === 'PARAMETER' || n.class === 'LAMBDA') problem = { message: `${String(n.class).toLowerCase()} is not allowed in a measure`, hint: 'write an aggregate over named columns, e.g. sum(order_value)' };
    else if (n.class === 'COLUMN_REF' && name === undefined) problem = { message: `write columns by their name alone, not ${(n.column_names as string[]).join('.')}`, hint: 'a measure reads the metric table only' };
    else if (n.class === 'FUNCTION' && context.insideAggregate && AGGREGATES.has(String(n.function_name).toLowerCase())) problem = { message: `an aggregate inside an aggregate (${String(n.function_name)}) is not allowed`, hint: 'write one aggregate, or a measure over other measures (revenue / orders)' };
    else if (n.class === 'FUNCTION' && AGGREGATES.has(String(n.function_name).toLowerCase())) aggregates++;
    else if (name !== undefined && context.insideAggregate && !columns.has(name.toLowerCase())) {
      const isMeasure = measureNames.some((m) => m.toLowerCase() === name.toLowerCase());
      problem = isMeasure
        ? { message: `measure ${name} is used inside an aggregate`, hint: `use it outside, e.g. ${name} / 2, or aggregate a column` }
        : { message: `the metric has no column "${name}"`, hint: unknown(name) };
    } else if (name !== undefined && !context.insideAggregate) {
      if (name.toLowerCase() === measure.name.toLowerCase()) problem = { message: 'it uses itself', hint: 'a measure may use other measures, not itself' };
      else if (measureNames.some((m) => m.toLowerCase() === name.toLowerCase())) uses++;
      else {
        const s = didYouMean(name, measureNames);
        problem = columns.has(name.toLowerCase())
          ? { message: `column ${name} is used outside an aggregate`, hint: `aggregate it, e.g. sum(${name}), or group by it as a dimension` }
          : { message: `"${name}" is neither a measure nor a column`, hint: s ? `did you mean "${s}"?` : unknown(name) };
      }
    }
    return undefined;
  });
  if (problem) return problem;
  if (aggregates === 0 && uses === 0) return { message: 'it is not an aggregate expression', hint: 'write an aggregate such as sum(order_value) or count(*), or an expression over other measures' };
  return undefined;
}

/**
 * The `validate` step for a metric's semantic model: its SQL's real columns (DESCRIBE, with upstream metrics exposed
 * as views) checked by `compileSemantics`. A SQL that does not describe is left to the SQL checks, which report it.
 */
export async function validateSemantics(db: Database, metric: Metric, options: { sandbox: boolean }): Promise<Diagnostic[]> {
  if (!metric.semantic) return [];
  let columns: TypedColumn[];
  try {
    columns = await db.all<TypedColumn>(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE (\n${metric.sql.replace(/[\s;]+$/u, '')}\n))`);
  } catch {
    return [];
  }
  return (await compileSemantics(db, metric, columns, options)).diagnostics;
}
