// Reading one metric file: YAML with positions, schema checks, diagnostics with code frames.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scalar } from 'yaml';
import { normalizeChecks } from '../checks/checks.ts';
import { codeFrame } from '../diagnostics.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import { describeSchemaIssue, pathOfNulCharacter, schemaHint } from './schema-issues.ts';
import { keyOffset, offsetForPath, openingOf, scalarLocator, yamlLib } from './yaml-positions.ts';
import type { FilePosition, ValueLocator } from './yaml-positions.ts';
import type { Metric } from './metric.ts';
import { METRIC_KEYS, parseMetricData } from './metric-schema.ts';
import { normalizeSnapshot } from './snapshot-spec.ts';
import { neverFires } from '../project/cron.ts';
import { scanMetricFiles } from './metric-files.ts';
import { normalizeTests } from '../unit-tests/unit-test.ts';
import { scheduleAdvice } from './schedule-advice.ts';
import { aliasAdvice, yamlAdvice } from './yaml-advice.ts';
import { normalizeSemantics } from '../semantic/semantic-model.ts';

/**
 * A metric file after loading: the metric when it parsed, and what was found wrong with it.
 *
 * @example
 * ```ts
 * const { metric, diagnostics } = await loadMetricFile('/home/ana/project/metrics/ltv.yaml', '/home/ana/project');
 * if (!metric) console.error(diagnostics);
 * ```
 */
export interface MetricFile {
  /** Path relative to the project root. */
  file: string;
  /** The metric, when the file parsed and passed the schema. */
  metric?: Metric;
  /** `metric_name` when it could be read, else null. */
  name: string | null;
  /** Errors and warnings about the file itself. */
  diagnostics: Diagnostic[];
}

/**
 * The text of the file a metric came from, and where its `sql` value sits in it (for code frames). A metric restored
 * from the project cache has only its text: the locator is made from it the first time a diagnostic needs it.
 */
interface FileText {
  text: string;
  locateSql?: ValueLocator;
}

const fileTexts = new WeakMap<Metric, FileText>();

/** Translates a 0-based offset inside `metric.sql` into a position in its YAML file. */
export function locateInSql(metric: Metric, offset: number): FilePosition {
  const info = fileTexts.get(metric);
  if (info && !info.locateSql) {
    const { isScalar, LineCounter, parseDocument } = yamlLib();
    const lines = new LineCounter();
    const doc = parseDocument(info.text, { lineCounter: lines, prettyErrors: false, logLevel: 'silent' });
    const node = doc.get('sql', true);
    info.locateSql = isScalar(node) ? scalarLocator(info.text, node, lines) : () => ({ line: metric.sqlLine, column: 1 });
  }
  return info?.locateSql ? info.locateSql(offset) : { line: metric.sqlLine, column: 1 };
}

/**
 * A metric as the project cache kept it (plain data from an earlier read of the same bytes), with its file's text
 * registered for code frames.
 */
export function restoreMetric(data: Omit<Metric, 'path'>, text: string, root: string): Metric {
  const metric: Metric = { ...data, path: path.join(root, ...data.file.split('/')) };
  fileTexts.set(metric, { text });
  return metric;
}

/** A metric file's bytes as UTF-8 text (without a BOM), or the diagnostic saying why not; read synchronously (see readProjectFiles). */
export async function readMetricText(absolutePath: string, root: string): Promise<{ text: string; bytes: Buffer } | MetricFile> {
  const file = relativeFile(root, absolutePath);
  let buffer: Buffer;
  try {
    buffer = readFileSync(absolutePath);
  } catch (error) {
    return fail(file, 'FILE_UNREADABLE', `cannot read file: ${(error as Error).message}`, 'check the file permissions');
  }
  const text = decodeText(buffer);
  if (text === undefined) {
    return fail(file, 'FILE_NOT_TEXT', 'file is not UTF-8 text (it looks binary)', 'metric files must be UTF-8 YAML; remove or replace this file');
  }
  return { text, bytes: buffer };
}

/** A code frame of the metric's file around a position. */
export function metricFrame(metric: Metric, position: FilePosition): string | undefined {
  const info = fileTexts.get(metric);
  return info ? codeFrame(info.text, position.line, position.column) : undefined;
}

/**
 * Finds metric files (`*.yaml`, `*.yml`, recursively) under `dir`, sorted.
 *
 * @example
 * ```ts
 * await findMetricFiles('/home/ana/project/metrics'); // ['/home/ana/project/metrics/finance/ltv.yaml', …]
 * ```
 */
export async function findMetricFiles(dir: string, root: string = dir): Promise<string[]> {
  return (await scanMetricFiles(dir, root)).files;
}

/**
 * Reads and checks one metric file. Never throws for bad content: problems come back as diagnostics.
 *
 * @example
 * ```ts
 * const file = await loadMetricFile(path.join(root, 'metrics/ltv.yaml'), root);
 * file.metric?.name; // 'customer_lifetime_value'
 * ```
 */
export async function loadMetricFile(absolutePath: string, root: string): Promise<MetricFile> {
  const read = await readMetricText(absolutePath, root);
  return 'text' in read ? parseMetricSource(read.text, relativeFile(root, absolutePath), absolutePath, root) : read;
}

/**
 * Parses the text of a metric file (exported for tests and tools that hold text in memory). Total: whatever the
 * text, it returns diagnostics naming `file` instead of throwing.
 *
 * @example
 * ```ts
 * const { metric, diagnostics } = parseMetricSource('metric_name: a\nowner: me\n…', 'metrics/a.yaml');
 * ```
 */
export function parseMetricSource(text: string, file: string, absolutePath: string = file, root: string = projectRootOf(absolutePath, file)): MetricFile {
  try {
    return parseMetricText(text, file, absolutePath, root);
  } catch (error) {
    // YAML that parses but cannot become data (e.g. an alias bomb), or a bug: still a diagnostic for this file.
    const message = error instanceof Error ? error.message : String(error);
    const advice = /alias/i.test(message) ? aliasAdvice(text) : undefined;
    if (advice) return { file, name: null, diagnostics: [{ severity: 'error', code: 'YAML_SYNTAX', file, line: advice.line, column: advice.column, frame: codeFrame(text, advice.line, advice.column), message: advice.message, hint: advice.hint }] };
    if (/alias/i.test(message)) return fail(file, 'YAML_SYNTAX', `cannot read the YAML: ${firstLine(message)}`, 'do not use YAML anchors and aliases (&name / *name) in metric files', 1, 1);
    return fail(file, 'INTERNAL_ERROR', `cannot read this file: ${firstLine(message)}`, 'this is a bug in duckmetrics; please report it with the file');
  }
}

function parseMetricText(text: string, file: string, absolutePath: string, root: string): MetricFile {
  const { isMap, isScalar, LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): { line: number; column: number; frame: string } => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col, frame: codeFrame(text, line, col) };
  };

  const advised = new Set<string>();
  for (const error of doc.errors) {
    const unclosedError = error.code === 'MISSING_CHAR' || /must be sufficiently indented and end with/.test(error.message);
    const offset = unclosedError ? (openingOf(doc, error.pos[0]) ?? error.pos[0]) : error.pos[0];
    const unclosed = offset !== error.pos[0];
    const advice = unclosed ? undefined : yamlAdvice(text, lines.linePos(offset).line, error.message);
    if (advice) {
      // Several parser errors often share one cause (`* * * * *` is five aliases): say it once.
      const key = `${advice.line}:${advice.message}`;
      if (!advised.has(key)) diagnostics.push({ severity: 'error', code: 'YAML_SYNTAX', file, line: advice.line, column: advice.column, frame: codeFrame(text, advice.line, advice.column), message: advice.message, hint: advice.hint });
      advised.add(key);
      continue;
    }
    diagnostics.push({
      severity: 'error', code: 'YAML_SYNTAX', file, ...at(offset),
      message: unclosed ? `this ${/^['"]/.test(text.slice(offset)) ? 'quoted value' : 'list or map'} is never closed` : firstLine(error.message),
      hint: unclosed ? `add the closing ${text[offset] === '[' ? ']' : text[offset] === '{' ? '}' : 'quote'} at the end of the value` : 'fix the YAML syntax at this position (indentation, quotes, colons)',
    });
  }
  if (diagnostics.length > 0) return { file, name: null, diagnostics };

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return fail(file, 'METRIC_EMPTY', 'file is empty', 'write a metric here (metric_name, description, owner, schedule, sql) or delete the file', 1, 1);
  }
  if (!isMap(doc.contents)) {
    const found = isScalar(doc.contents) ? 'a single value' : 'a list';
    return { file, name: null, diagnostics: [{ severity: 'error', code: 'METRIC_NOT_MAP', message: `expected a mapping of keys (metric_name: …, sql: …), found ${found}`, file, ...at(doc.contents.range?.[0] ?? 0), hint: 'a metric file holds one metric: top-level keys metric_name, description, owner, schedule and sql' }] };
  }

  const anchored = aliasAdvice(text);
  if (anchored) return { file, name: null, diagnostics: [{ severity: 'error', code: 'YAML_SYNTAX', file, line: anchored.line, column: anchored.column, frame: codeFrame(text, anchored.line, anchored.column), message: anchored.message, hint: anchored.hint }] };
  const data = doc.toJS() as Record<string, unknown>;
  const rawName = typeof data.metric_name === 'string' ? data.metric_name.trim() : null;
  const unknownKeys: string[] = [];
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (METRIC_KEYS.includes(key)) continue;
    unknownKeys.push(key);
    const suggestion = didYouMean(key, METRIC_KEYS);
    const keyNode = pair.key as Scalar | null;
    diagnostics.push({ severity: 'warning', code: 'SCHEMA_UNKNOWN_KEY', message: `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, file, ...at(keyNode?.range?.[0] ?? 0), hint: suggestion ? `rename it to "${suggestion}"` : `known keys: ${METRIC_KEYS.join(', ')}` });
  }

  const nul = pathOfNulCharacter(data);
  if (nul !== undefined) {
    diagnostics.push({ severity: 'error', code: 'SCHEMA_INVALID', message: `${nul.length ? `"${nul.join('.').replace(/\0/g, '\\0')}"` : 'a value'} holds a NUL character (\\0), which no metric value may contain`, file, ...at(offsetForPath(doc, nul)), hint: 'remove the \\0 (or \\x00, \\u0000) escape from this value' });
    return { file, name: rawName?.includes('\0') ? null : rawName, diagnostics };
  }
  const parsed = parseMetricData(data);
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      const problem = describeSchemaIssue(issue, data, unknownKeys);
      const schedule = issue.path.length === 1 && issue.path[0] === 'schedule' && typeof data.schedule === 'string' ? scheduleAdvice(data.schedule) : undefined;
      if (schedule !== undefined) problem.message = schedule;
      diagnostics.push({ severity: 'error', code: problem.code, message: problem.message, file, ...at(offsetForPath(doc, problem.path)), hint: schemaHint(issue.path) });
    }
    return { file, name: rawName, diagnostics };
  }

  const normalized = normalizeChecks(parsed.data, (path) => {
    const { line, col } = lines.linePos(offsetForPath(doc, path));
    return { line, column: col };
  });
  for (const d of normalized.diagnostics) {
    diagnostics.push({ severity: 'error', code: d.code, message: d.message, file, line: d.line!, column: d.column!, frame: codeFrame(text, d.line!, d.column!), ...(d.hint === undefined ? {} : { hint: d.hint }) });
  }
  const tests = normalizeTests(parsed.data.tests, (path, options) => {
    const { line, col } = lines.linePos((options?.key ? keyOffset(doc, path) : undefined) ?? offsetForPath(doc, path));
    return { line, column: col };
  }, absolutePath, root);
  const semantic = normalizeSemantics(parsed.data, (path, options) => {
    const { line, col } = lines.linePos((options?.key ? keyOffset(doc, path) : undefined) ?? offsetForPath(doc, path));
    return { line, column: col };
  });
  for (const d of [...tests.diagnostics, ...semantic.diagnostics]) {
    diagnostics.push({ severity: 'error', code: d.code, message: d.message, file, line: d.line!, column: d.column!, frame: codeFrame(text, d.line!, d.column!), ...(d.hint === undefined ? {} : { hint: d.hint }) });
  }
  const snapshot = normalizeSnapshot(parsed.data.snapshot, parsed.data.materialized ?? 'table');
  for (const p of snapshot.problems) diagnostics.push({ severity: 'error', code: 'SCHEMA_INVALID', message: p.message, file, ...at((p.path.length > 1 ? keyOffset(doc, p.path) : undefined) ?? offsetForPath(doc, p.path)), hint: p.hint });
  if (neverFires(parsed.data.schedule)) {
    const pos = at(offsetForPath(doc, ['schedule']));
    diagnostics.push({ severity: 'warning', code: 'SCHEDULE_NEVER_FIRES', message: `schedule "${parsed.data.schedule}" can never fire (no date matches it), so this metric is never due`, file, ...pos, hint: 'check the day-of-month and month fields (e.g. 31 in a month that has 30 days), or use a schedule such as "0 6 * * *"' });
  }
  const sqlNode = doc.get('sql', true) as Scalar;
  if (sqlNode.type === 'BLOCK_FOLDED' && text.slice(sqlNode.range?.[0] ?? 0, sqlNode.range?.[1] ?? 0).includes('--')) {
    diagnostics.push({ severity: 'warning', code: 'SQL_FOLDED_COMMENT', message: 'sql: > joins the lines into one, so a -- comment comments out everything after it', file, ...at(sqlNode.range?.[0] ?? 0), hint: 'write sql: | instead, which keeps each line as written' });
  }
  const locateSql = scalarLocator(text, sqlNode, lines);
  const d = parsed.data;
  const metric: Metric = {
    name: d.metric_name,
    file,
    path: absolutePath,
    description: d.description,
    owner: d.owner,
    schedule: d.schedule,
    sql: d.sql,
    tags: d.tags ?? [],
    columns: d.columns ?? [],
    materialized: d.materialized ?? 'table',
    dependsOn: d.depends_on ?? [],
    checks: normalized.checks,
    uniqueKey: d.unique_key ?? [],
    tests: tests.tests,
    ...(snapshot.spec ? { snapshot: snapshot.spec } : {}),
    ...(semantic.semantics ? { semantic: semantic.semantics } : {}),
    sqlLine: locateSql(0).line,
    nameLine: lines.linePos((doc.get('metric_name', true) as Scalar).range?.[0] ?? 0).line,
  };
  fileTexts.set(metric, { text, locateSql });
  return { file, name: metric.name, metric, diagnostics };
}

function fail(file: string, code: string, message: string, hint: string, line?: number, column?: number): MetricFile {
  const d: Diagnostic = { severity: 'error', code, message, file, hint };
  if (line !== undefined) d.line = line;
  if (column !== undefined) d.column = column;
  return { file, name: null, diagnostics: [d] };
}

function decodeText(buffer: Buffer): string | undefined {
  if (buffer.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The project root a metric file's absolute path and relative name imply (its folder when they do not agree). */
function projectRootOf(absolutePath: string, file: string): string {
  const native = file.split('/').join(path.sep);
  return absolutePath.endsWith(native) && absolutePath !== native ? absolutePath.slice(0, -native.length) || path.sep : path.dirname(path.resolve(absolutePath));
}

/** Path of `absolutePath` relative to `root`, with forward slashes. */
export function relativeFile(root: string, absolutePath: string): string {
  const rel = path.relative(root, absolutePath);
  return (rel.startsWith('..') ? absolutePath : rel).split(path.sep).join('/');
}
