// A project as the engine sees it: every metric file read, its SQL parsed, the name and SQL rules applied, the graph.
import type { ResolvedConfig } from '../plugins/plugin.ts';
import type { Database } from '../database/database.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import { createHash } from 'node:crypto';
import { parseMetricSource, readMetricText, relativeFile, restoreMetric } from '../metrics/metric-loader.ts';
import type { MetricFile } from '../metrics/metric-loader.ts';
import { scanMetricFiles } from '../metrics/metric-files.ts';
import type { MetricFileScan } from '../metrics/metric-files.ts';
import type { CachedFile } from '../state/project-cache.ts';
import { CORE_VERSION } from './hashing.ts';
import type { MetricValidation } from '../results.ts';
import type { StateView } from '../state/state-view.ts';
import { buildGraph, topologicalOrder } from './graph.ts';
import type { MetricGraph } from './graph.ts';
import { addNameRules } from './name-rules.ts';
import { parseMetricSql } from './sql-parse.ts';
import type { ParsedSql } from './sql-parse.ts';
import { sqlShapeDiagnostic } from './sql-rules.ts';
import { addSandboxRules } from './sandbox-rules.ts';

/** Every metric file of a project, with what is known about it before any plugin validated it. */
export interface Project extends MetricGraph {
  /** Result entry per file (diagnostics are added to it as validation goes on). */
  entries: Map<string, MetricValidation>;
  /** Every metric that parsed, in build order (metrics on a cycle and behind one come last, in name order). */
  order: Metric[];
  /** Metrics on a cycle, with the cycle's path. */
  cycles: Map<Metric, Metric[]>;
  /** DuckDB's parse of each metric's SQL. */
  parsed: Map<Metric, ParsedSql>;
  /** What is known about each metric's file: the hash of its bytes, its own warnings, its cache entry when it was one. */
  facts: Map<Metric, FileFacts>;
}

/** A metric file's bytes as hashed for the project cache, and what reading it said. */
export interface FileFacts {
  contentHash: string;
  fileWarnings: Diagnostic[];
  /** The cache entry the metric was restored from (same bytes). */
  cached?: CachedFile;
}

/** A project's metric files found and read, before any database work: each file's text and content hash, or why not. */
export interface ProjectFiles {
  scan: MetricFileScan;
  reads: Array<{ path: string; file: string; read: Awaited<ReturnType<typeof readMetricText>>; contentHash?: string }>;
  /** Files parsed while the verb waited on DuckDB (`startReadingFiles`), by file: loadProject takes what it needs. */
  ahead?: Map<string, MetricFile>;
  /** Stops parsing ahead. */
  stopAhead?: () => void;
}

/**
 * Finds and reads the metric files. Needs only the config, so verbs start it before the database is open: the
 * reads and hashes of 400 files then happen while DuckDB opens the file. The walk and the reads are synchronous:
 * asynchronous fs calls queue on the libuv thread pool that DuckDB's binding runs its statements on, and 400
 * files made ~2,000 of them (a no-change run of 400 took 445 ms with them, 320-380 ms without).
 */
export async function readProjectFiles(config: ResolvedConfig): Promise<ProjectFiles> {
  // One turn of the event loop first, so that a database the caller opens next is already with DuckDB.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const scan = await scanMetricFiles(config.metricsDir, config.root);
  const reads = await Promise.all(scan.files.map(async (p) => {
    const read = await readMetricText(p, config.root);
    const file = relativeFile(config.root, p);
    if (!('text' in read)) return { path: p, file, read };
    // The root is part of it: a metric's fixtures are kept as absolute paths, so a moved project reads its files again.
    const contentHash = createHash('sha256').update(CORE_VERSION).update('\0').update(config.root).update('\0').update(read.bytes).digest('hex').slice(0, 32);
    return { path: p, file, read, contentHash };
  }));
  return { scan, reads };
}

/**
 * `readProjectFiles` started now, to be awaited later: should the verb fail before it awaits, nothing is unhandled.
 * Once read, the files are parsed one per turn of the event loop until `loadProject` stops it: opening the database
 * and reading the state leave the JS thread idle for 50-100 ms, and a first parse of 7 files (yaml loaded, code not
 * yet compiled) took about as long. Files the project cache holds make that work wasted, never slower.
 */
export function startReadingFiles(config: ResolvedConfig): Promise<ProjectFiles> {
  const reading = readProjectFiles(config).then((files) => {
    parseAhead(config, files);
    return files;
  });
  reading.catch(() => undefined);
  return reading;
}

function parseAhead(config: ResolvedConfig, files: ProjectFiles): void {
  const ahead = new Map<string, MetricFile>();
  let stopped = false;
  let next = 0;
  files.ahead = ahead;
  files.stopAhead = () => {
    stopped = true;
  };
  const step = (): void => {
    if (stopped || next >= files.reads.length) return;
    const { path: p, file, read } = files.reads[next++]!;
    if ('text' in read) ahead.set(file, parseMetricSource(read.text, file, p, config.root));
    setImmediate(step);
  };
  setImmediate(step);
}

/**
 * Turns the files read into metrics (from the project cache when a file's bytes are the ones cached), parses
 * every metric's SQL in one query, and applies core's own rules (unique names, no source shadowed, exactly one
 * SELECT, known tables, no cycles) as diagnostics on the entries.
 */
export async function loadProject(config: ResolvedConfig, db: Database, state: StateView, read: ProjectFiles, cache?: ReadonlyMap<string, CachedFile>): Promise<Project> {
  read.stopAhead?.();
  const facts = new Map<Metric, FileFacts>();
  const cachedParse = new Map<Metric, ParsedSql>();
  const files = read.reads.map(({ path: p, file, read: got, contentHash }): MetricFile => {
    if (!('text' in got) || contentHash === undefined) return got as MetricFile;
    const hit = cache?.get(file);
    if (hit && hit.contentHash === contentHash) {
      const metric = restoreMetric(hit.metric, got.text, config.root);
      facts.set(metric, { contentHash, fileWarnings: hit.warnings, cached: hit });
      cachedParse.set(metric, hit.parsed);
      return { file, name: metric.name, metric, diagnostics: [...hit.warnings] };
    }
    const early = read.ahead?.get(file);
    read.ahead?.delete(file); // each parse is used once
    const loaded = early ?? parseMetricSource(got.text, file, p, config.root);
    if (loaded.metric) facts.set(loaded.metric, { contentHash, fileWarnings: loaded.diagnostics.filter((d) => d.severity === 'warning') });
    return loaded;
  });
  const entries = new Map<string, MetricValidation>();
  for (const f of files) {
    entries.set(f.file, {
      name: f.name, file: f.file, status: 'valid',
      errors: f.diagnostics.filter((d) => d.severity === 'error'),
      warnings: f.diagnostics.filter((d) => d.severity === 'warning'),
    });
  }
  const metrics = files.map((f) => f.metric).filter((m): m is Metric => m !== undefined);
  const errorsOf = (m: Metric): Diagnostic[] => entries.get(m.file)!.errors;
  const parsed = await parseMetricSql(db, metrics.filter((m) => !cachedParse.has(m)));
  for (const [m, p] of cachedParse) parsed.set(m, p);
  addNameRules(metrics, errorsOf, state);
  for (const m of metrics) {
    const shape = await sqlShapeDiagnostic(db, m, parsed.get(m));
    if (shape) errorsOf(m).push(shape);
  }
  if (config.sandbox) await addSandboxRules(db, metrics, parsed, errorsOf);

  const graph = buildGraph(metrics, parsed, state, errorsOf);
  const { order, cycles } = topologicalOrder(metrics, graph.upstream);
  for (const [m, path] of cycles) {
    errorsOf(m).push({
      severity: 'error', code: 'METRIC_CYCLE', file: m.file, line: m.sqlLine, column: 1,
      message: `metrics read each other in a cycle: ${path.map((p) => p.name).join(' → ')}`,
      hint: 'a metric cannot depend on itself, directly or through others; remove one of these references',
    });
  }
  const placed = new Set(order);
  const blocked = metrics.filter((m) => !placed.has(m)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return { entries, order: [...order, ...blocked], cycles, parsed, facts, ...graph };
}
