// The validate verb: every metric through the plugins' validate hooks in build order, inside a transaction that is
// rolled back, so downstream metrics resolve against upstream shapes before anything was built.
import { validateChecks } from '../checks/validate-checks.ts';
import type { Database } from '../database/database.ts';
import { readColumns } from '../database/introspection.ts';
import type { ColumnEntry, TableEntry } from '../database/introspection.ts';
import { quoteIdent, trimStatement } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { Session } from '../engine/session.ts';
import { errorMessage } from '../errors.ts';
import type { Metric } from '../metrics/metric.ts';
import { adviseSqlSyntax, pluginErrorDiagnostic, sqlErrorDiagnostic, toFileDiagnostic } from '../metrics/metric-diagnostics.ts';
import { loadProject, readProjectFiles } from '../project/load-project.ts';
import type { Project, ProjectFiles } from '../project/load-project.ts';
import { selectMetrics } from '../project/selection.ts';
import type { Selection } from '../project/selection.ts';
import type { ValidateResult } from '../results.ts';
import { validateUnitTests } from './unit-tests.ts';
import { columnsByTable } from '../unit-tests/test-inputs.ts';
import { validateSemantics } from '../semantic/semantic-check.ts';
import type { StateView } from '../state/state-view.ts';
import { exposeSnapshotSql } from '../snapshots/snapshot-write.ts';
import { readProjectCache } from '../state/project-cache.ts';
import { validationKeys } from '../project/validation-key.ts';
import { configKey, saveProjectCache } from './project-cache-use.ts';

/** A project after validation: every entry has its status, and `result` is what `validate()` returns. */
export interface ValidatedProject extends Project {
  result: ValidateResult;
  /**
   * The columns of the tables metrics read that are not metrics (the sources), read once by validation when it
   * needed them (validation keys, unit tests), by lower-case name. Nothing in a run changes them.
   */
  sourceColumns?: Map<string, ColumnEntry[]>;
}

/**
 * Loads every metric file, infers the dependency graph from the SQL, then validates in dependency order: each
 * valid metric with downstream readers is made visible as a view inside a transaction that is rolled back at
 * the end, so `EXPLAIN` of a downstream metric resolves before anything was built. `db` must be sandboxed.
 * `files` is the project's files as read already (`readProjectFiles`), when the caller started that first.
 */
export async function validateProject(session: Session, db: Database, state: StateView, signal: AbortSignal = session.signal, files?: Promise<ProjectFiles>): Promise<ValidatedProject> {
  const config = await session.config();
  const plugins = await session.plugins();
  const ctx = await session.context(signal);
  const read = await (files ?? readProjectFiles(config));
  const { scan } = read;
  for (const file of scan.ignored) session.logger.warn(`${file} is not read: metric files end in .yaml or .yml (one metric per file, its SQL under sql:)`);
  session.emit('validate:start', { files: scan.files.length });
  const cache = session.projectCache ? await readProjectCache(db) : undefined;
  const project = await loadProject(config, db, state, read, cache);
  // Folders that could not be read and links out of the project fail like a file that does not parse.
  for (const problem of scan.problems) project.entries.set(problem.file!, { name: null, file: problem.file!, status: 'invalid', errors: [problem], warnings: [] });
  const { entries, order: buildOrder, cycles } = project;
  const errorsOf = (m: Metric): Diagnostic[] => entries.get(m.file)!.errors;
  // A metric whose validation key is the one its last valid validation had is valid again without asking the
  // plugins; the upstream of every metric that is validated is still made visible to it.
  const metricNames = new Set(buildOrder.map((m) => m.name.toLowerCase()));
  // One read of every source's columns: the validation keys and the unit tests' typed inputs share it.
  const sourceColumns = cache || buildOrder.some((m) => m.tests.length > 0)
    ? await readColumns(db, [...new Set(buildOrder.flatMap((m) => project.reads.get(m) ?? []))].filter((t) => !metricNames.has(t)))
    : undefined;
  const known = sourceColumns ? columnsByTable(sourceColumns) : undefined;
  const keys = cache && sourceColumns ? validationKeys(project, sourceColumns, await configKey(config)) : new Map<Metric, string>();
  const hits = new Set(buildOrder.filter((m) => keys.has(m) && project.facts.get(m)?.cached?.validationKey === keys.get(m)));
  const needed = upstreamOf(buildOrder.filter((m) => !hits.has(m)), project.upstream);
  const warningsBefore = new Map(buildOrder.map((m) => [m, entries.get(m.file)!.warnings.length]));

  await db.run('BEGIN TRANSACTION');
  let current = 0;
  const replayExposed = async (): Promise<void> => {
    for (const m of buildOrder.slice(0, current)) if (errorsOf(m).length === 0) await exposeShape(db, m, state.tables.get(m.name.toLowerCase())).catch(() => undefined);
  };
  try {
    for (; current < buildOrder.length; current++) {
      const metric = buildOrder[current]!;
      const errors = errorsOf(metric);
      const badUpstream = (project.upstream.get(metric) ?? []).find((u) => errorsOf(u).length > 0);
      if (badUpstream && errors.length === 0 && !cycles.has(metric)) {
        errors.push({
          severity: 'error', code: 'UPSTREAM_INVALID', file: metric.file, line: metric.sqlLine, column: 1,
          message: `reads metric "${badUpstream.name}" (${badUpstream.file}), which is invalid`,
          hint: `fix ${badUpstream.file} first`,
        });
      }
      if (errors.length > 0) continue;
      const entry = entries.get(metric.file)!;
      if (hits.has(metric)) {
        entry.warnings.push(...project.facts.get(metric)!.cached!.validationWarnings);
        if (needed.has(metric)) {
          await exposeShape(db, metric, state.tables.get(metric.name.toLowerCase())).catch(async (error: unknown) => {
            hits.delete(metric);
            entry.errors.push(sqlErrorDiagnostic(metric, error, 1));
            await restartIfAborted(db, replayExposed);
          });
        }
        continue;
      }
      await plugins.hookSequential('validate', [metric, ctx], async ({ plugin, value, error }) => {
        const found = error ? [pluginErrorDiagnostic(error, metric.file)] : (value ?? []).map((d) => adviseSqlSyntax(metric, toFileDiagnostic(metric, d, plugin.name)));
        // Only a failed statement can abort the transaction: probe only then (validation of thousands stays fast).
        if (found.some((d) => d.severity === 'error')) await restartIfAborted(db, replayExposed);
        for (const d of found) (d.severity === 'error' ? entry.errors : entry.warnings).push(d);
      });
      await addColumnHints(db, entry.errors, project.reads.get(metric) ?? []);
      if (entry.errors.length === 0 && metric.semantic) {
        entry.errors.push(...(await validateSemantics(db, metric, { sandbox: config.sandbox })));
        await restartIfAborted(db, replayExposed);
      }
      if (entry.errors.length === 0 && ((project.downstream.get(metric)?.length ?? 0) > 0 || metric.checks.length > 0)) {
        const exposed = await exposeShape(db, metric, state.tables.get(metric.name.toLowerCase())).then(
          () => true,
          (error: unknown) => {
            entry.errors.push(sqlErrorDiagnostic(metric, error, 1));
            return false;
          },
        );
        if (!exposed) await restartIfAborted(db, replayExposed);
        if (exposed && metric.checks.length > 0) entry.errors.push(...(await validateChecks(db, metric)));
      }
      if (entry.errors.length === 0 && metric.tests.length > 0) {
        entry.errors.push(...(await validateUnitTests(db, metric, project.parsed.get(metric), known)));
        await restartIfAborted(db, replayExposed);
      }
    }
  } finally {
    await db.run('ROLLBACK');
  }

  const results = [...entries.values()];
  for (const r of results) r.status = r.errors.length === 0 ? 'valid' : 'invalid';
  if (cache) await saveProjectCache(db, project, cache, keys, warningsBefore).catch(() => undefined);
  const result: ValidateResult = { ok: results.every((r) => r.status === 'valid'), metrics: results };
  session.emit('validate:end', result);
  return { ...project, result, ...(known ? { sourceColumns: known } : {}) };
}

/**
 * The validate verb's result for a selection: only the selected metrics (and files that could not be read); the
 * whole project is still validated, since selected metrics may read the others.
 */
export function selectValidation(project: ValidatedProject, selection: Selection): ValidateResult {
  if (!selection.select?.length && !selection.exclude?.length) return project.result;
  const chosen = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, selection);
  const files = new Set([...chosen].map((m) => m.file));
  const parsed = new Set(project.order.map((m) => m.file));
  const metrics = project.result.metrics.filter((m) => files.has(m.file) || !parsed.has(m.file));
  return { ok: metrics.every((m) => m.status === 'valid'), metrics };
}

/** For "column not found" errors, a hint listing the columns of the tables the metric reads, with a did-you-mean. */
async function addColumnHints(db: Database, errors: Diagnostic[], reads: string[]): Promise<void> {
  const pattern = /Referenced column "([^"]+)" not found|does not have a column named "([^"]+)"/;
  const unknown = errors.filter((d) => d.code === 'SQL_BINDER' && pattern.test(d.message));
  if (unknown.length === 0 || reads.length === 0) return;
  const rows = await readColumns(db, reads);
  const byTable = new Map<string, string[]>();
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.column]);
  const known = [...byTable.entries()].map(([t, cols]) => `${t}(${cols.join(', ')})`).join('; ');
  for (const d of unknown) {
    const match = pattern.exec(d.message)!;
    const name = match[1] ?? match[2]!;
    const suggestion = didYouMean(name, rows.map((r) => r.column));
    d.hint = `${suggestion ? `did you mean "${suggestion}"? ` : ''}known columns: ${known}`;
  }
}

/** Every metric upstream of `metrics`, transitively. */
function upstreamOf(metrics: readonly Metric[], upstream: ReadonlyMap<Metric, Metric[]>): Set<Metric> {
  const out = new Set<Metric>();
  const stack = metrics.flatMap((m) => upstream.get(m) ?? []);
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (out.has(m)) continue;
    out.add(m);
    stack.push(...(upstream.get(m) ?? []));
  }
  return out;
}

/** Makes a metric's columns visible to later statements in the (rolled back) validation transaction. */
async function exposeShape(db: Database, metric: Metric, existing: TableEntry | undefined): Promise<void> {
  if (existing?.type === 'table') await db.run(`DROP TABLE ${quoteIdent(existing.name)}`);
  await db.run(`CREATE OR REPLACE VIEW ${quoteIdent(metric.name)} AS\n${trimStatement(metric.sql)}\n`);
  if (metric.snapshot) await db.run(exposeSnapshotSql(metric.name));
}

/**
 * After a statement failed inside the validation transaction: when DuckDB marked the transaction aborted (a runtime
 * error, a failed extension autoload, …), rolls back, begins a new one and calls `replay` to restore what later
 * metrics rely on. Without this, one bad metric would fail every metric validated after it.
 */
export async function restartIfAborted(db: Database, replay: () => Promise<void>): Promise<void> {
  try {
    await db.all('SELECT 1');
    return;
  } catch (error) {
    if (!/transaction is aborted/i.test(errorMessage(error))) throw error;
  }
  await db.run('ROLLBACK');
  await db.run('BEGIN TRANSACTION');
  await replay();
}
