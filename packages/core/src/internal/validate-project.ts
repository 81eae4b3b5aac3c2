import type { Diagnostic } from '../diagnostics.ts';
import type { EngineEvents } from '../events.ts';
import type { Metric } from '../metric.ts';
import { findMetricFiles, loadMetricFile } from '../metric-loader.ts';
import type { HookContext } from '../plugin.ts';
import { callHook, pluginsFor } from '../plugin-driver.ts';
import type { MetricValidation, ValidateResult } from '../results.ts';
import type { Database } from '../database.ts';
import { readCatalog, readMetricRegistry } from '../state-store.ts';
import { pluginErrorDiagnostic, toFileDiagnostic } from './metric-diagnostics.ts';

/** A validation pass: the public result and the metrics that passed. */
export interface ProjectValidation {
  result: ValidateResult;
  /** Valid metrics, in the order they should be built. */
  valid: Metric[];
}

type Emit = <K extends keyof EngineEvents>(event: K, payload: EngineEvents[K]) => void;

/** Loads every metric file, applies project-wide rules, then every plugin's `validate` hook. */
export async function validateProject(ctx: HookContext, db: Database, emit: Emit): Promise<ProjectValidation> {
  const paths = await findMetricFiles(ctx.config.metricsDir);
  emit('validate:start', { files: paths.length });
  const files = await Promise.all(paths.map((p) => loadMetricFile(p, ctx.config.root)));
  const entries = new Map<string, MetricValidation>();
  for (const f of files) {
    entries.set(f.file, {
      name: f.name,
      file: f.file,
      status: 'valid',
      errors: f.diagnostics.filter((d) => d.severity === 'error'),
      warnings: f.diagnostics.filter((d) => d.severity === 'warning'),
    });
  }
  const metrics = files.map((f) => f.metric).filter((m): m is Metric => m !== undefined);
  addProjectRules(metrics, entries, await readCatalog(db), await readMetricRegistry(db));

  for (const metric of metrics) {
    const entry = entries.get(metric.file)!;
    if (entry.errors.length > 0) continue;
    for (const { plugin, handler } of pluginsFor(ctx.config.plugins, 'validate')) {
      let found: Diagnostic[];
      try {
        found = ((await callHook(plugin, 'validate', handler, [metric, ctx])) ?? []).map((d) => toFileDiagnostic(metric, d, plugin.name));
      } catch (error) {
        found = [pluginErrorDiagnostic(error, metric.file)];
      }
      for (const d of found) (d.severity === 'error' ? entry.errors : entry.warnings).push(d);
    }
  }

  const results = [...entries.values()];
  for (const r of results) r.status = r.errors.length === 0 ? 'valid' : 'invalid';
  const result: ValidateResult = { ok: results.every((r) => r.status === 'valid'), metrics: results };
  emit('validate:end', result);
  return { result, valid: metrics.filter((m) => entries.get(m.file)!.status === 'valid') };
}

function addProjectRules(
  metrics: Metric[],
  entries: Map<string, MetricValidation>,
  catalog: Awaited<ReturnType<typeof readCatalog>>,
  registry: Map<string, string>,
): void {
  const byName = new Map<string, Metric[]>();
  for (const m of metrics) {
    const key = m.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), m]);
  }
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const m of group) {
      const others = group.filter((o) => o !== m).map((o) => o.file);
      entries.get(m.file)!.errors.push({
        severity: 'error', code: 'METRIC_DUPLICATE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is also used by ${others.join(', ')} (names are compared case-insensitively)`,
        hint: 'give each metric a unique metric_name',
      });
    }
  }
  for (const m of metrics) {
    const key = m.name.toLowerCase();
    const existing = catalog.get(key);
    if (existing && !registry.has(key)) {
      entries.get(m.file)!.errors.push({
        severity: 'error', code: 'METRIC_SHADOWS_SOURCE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is the name of source table "${existing.name}"; building it would overwrite source data`,
        hint: `rename the metric, e.g. metric_name: ${m.name}_metric`,
      });
    }
  }
}

