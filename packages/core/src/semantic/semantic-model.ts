// A metric's semantic model as written (`time`, `dimensions`, `measures`): its types and its normalisation from the file.
import { didYouMean } from '../did-you-mean.ts';
import type { PluginDiagnostic } from '../diagnostics.ts';
import type { FilePosition } from '../metrics/yaml-positions.ts';

/** The time grains a metric query can group by, finest first. */
export type TimeGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Every time grain, finest first. */
export const TIME_GRAINS: readonly TimeGrain[] = ['day', 'week', 'month', 'quarter', 'year'];

/** One measure: an aggregate over the metric's columns (`sum(order_value)`), or derived from other measures. */
export interface Measure {
  name: string;
  /** The expression as written. */
  expr: string;
  description?: string;
  /** Where the measure's name is written in the file. */
  at: FilePosition;
}

/** A name written in the file (the time column, a dimension), with where. */
export interface NamedAt {
  name: string;
  at: FilePosition;
}

/**
 * What a metric file says about querying its table: the time column, the dimensions one may group by, the measures.
 *
 * @example
 * ```ts
 * metric.semantic?.measures.map((m) => `${m.name}: ${m.expr}`); // ['revenue: sum(order_value)', 'orders: count(*)']
 * ```
 */
export interface MetricSemantics {
  time?: NamedAt;
  dimensions: NamedAt[];
  measures: Measure[];
}

/** Finds a position in the metric file: of the value at `path`, or of its key with `{ key: true }`. */
type Locate = (path: Array<string | number>, options?: { key?: boolean }) => FilePosition;

const MEASURE_KEYS = ['expr', 'description'];
/** Measure names become output columns: a plain identifier. */
const MEASURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HINT = 'see "Querying metrics" in the docs: measures: { revenue: sum(order_value), aov: { expr: revenue / orders, description: … } }';

/**
 * Reads `time`, `dimensions` and `measures` (already of the right outer types, by the schema) into `MetricSemantics`;
 * every problem of shape becomes a diagnostic at its line. Undefined when the file declares none of the three.
 */
export function normalizeSemantics(
  raw: { time?: string | undefined; dimensions?: string[] | undefined; measures?: Record<string, unknown> | undefined },
  locate: Locate,
): { semantics?: MetricSemantics; diagnostics: PluginDiagnostic[] } {
  if (raw.time === undefined && raw.dimensions === undefined && raw.measures === undefined) return { diagnostics: [] };
  const diagnostics: PluginDiagnostic[] = [];
  const fail = (where: Array<string | number>, code: string, message: string, hint = HINT, key = false): void => {
    const at = locate(where, { key });
    diagnostics.push({ code, message, line: at.line, column: at.column, hint });
  };
  const semantics: MetricSemantics = { dimensions: [], measures: [] };
  if (raw.time !== undefined) {
    if (raw.time.trim() === '') fail(['time'], 'TIME_INVALID', 'time must name a DATE or TIMESTAMP column of the metric', 'e.g. time: order_purchase_timestamp');
    else semantics.time = { name: raw.time.trim(), at: locate(['time']) };
  }
  const seen = new Set<string>();
  (raw.dimensions ?? []).forEach((name, i) => {
    const trimmed = name.trim();
    if (trimmed === '') return fail(['dimensions', i], 'DIMENSION_INVALID', 'a dimension must name a column of the metric', 'e.g. dimensions: [customer_state]');
    if (seen.has(trimmed.toLowerCase())) return fail(['dimensions', i], 'DIMENSION_INVALID', `dimension "${trimmed}" is listed twice`, 'list each dimension once');
    seen.add(trimmed.toLowerCase());
    semantics.dimensions.push({ name: trimmed, at: locate(['dimensions', i]) });
  });
  for (const [name, value] of Object.entries(raw.measures ?? {})) {
    if (!MEASURE_NAME.test(name)) {
      fail(['measures', name], 'MEASURE_INVALID', `measure name "${name}" may only hold letters, digits and _, and must not start with a digit`, 'rename it, e.g. revenue', true);
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      fail(['measures', name], 'MEASURE_INVALID', `measure "${name}" has the name of a dimension (or another measure)`, 'give the measure a name of its own', true);
      continue;
    }
    seen.add(name.toLowerCase());
    const measure = readMeasure(name, value, (where, message, hint, key) => fail(['measures', name, ...where], 'MEASURE_INVALID', `measure ${name}: ${message}`, hint, key));
    if (measure) semantics.measures.push({ ...measure, at: locate(['measures', name], { key: true }) });
  }
  return { semantics, diagnostics };
}

type Fail = (where: Array<string | number>, message: string, hint?: string, key?: boolean) => void;

function readMeasure(name: string, value: unknown, fail: Fail): Omit<Measure, 'at'> | undefined {
  if (typeof value === 'string') {
    if (value.trim() === '') return void fail([], 'the expression is empty', 'write an aggregate, e.g. sum(order_value)');
    return { name, expr: value.trim() };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return void fail([], 'must be an expression (sum(order_value)) or { expr, description }');
  }
  const entries = value as Record<string, unknown>;
  let ok = true;
  for (const key of Object.keys(entries)) {
    if (MEASURE_KEYS.includes(key)) continue;
    const s = didYouMean(key, MEASURE_KEYS);
    fail([key], `unknown key "${key}"${s ? ` (did you mean "${s}"?)` : ''}`, s ? `rename it to "${s}"` : `a measure has the keys ${MEASURE_KEYS.join(', ')}`, true);
    ok = false;
  }
  const { expr, description } = entries;
  if (typeof expr !== 'string' || expr.trim() === '') {
    fail(expr === undefined ? [] : ['expr'], 'needs expr: an aggregate expression (sum(order_value)) or one over other measures (revenue / orders)');
    return undefined;
  }
  if (description !== undefined && typeof description !== 'string') {
    fail(['description'], 'description must be a string');
    ok = false;
  }
  if (!ok) return undefined;
  return { name, expr: expr.trim(), ...(typeof description === 'string' ? { description } : {}) };
}
