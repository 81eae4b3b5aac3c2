// Rules on metric names, checked before anything is built: unique (case-insensitively) and never a source's name.
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { StateView } from '../state/state-view.ts';
import { isReservedName, isSourceName, STAGING_PREFIX } from './namespace.ts';

/** Adds `METRIC_DUPLICATE`, `METRIC_NAME_RESERVED` and `METRIC_SHADOWS_SOURCE` diagnostics to the metrics they concern. */
export function addNameRules(metrics: Metric[], errorsOf: (m: Metric) => Diagnostic[], state: Pick<StateView, 'tables' | 'metrics' | 'sources'>): void {
  const byName = new Map<string, Metric[]>();
  for (const m of metrics) byName.set(m.name.toLowerCase(), [...(byName.get(m.name.toLowerCase()) ?? []), m]);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    for (const m of group) {
      const others = group.filter((o) => o !== m).map((o) => o.file);
      errorsOf(m).push({
        severity: 'error', code: 'METRIC_DUPLICATE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is also used by ${others.join(', ')} (names are compared case-insensitively)`,
        hint: 'give each metric a unique metric_name',
      });
    }
  }
  for (const m of metrics) {
    const key = m.name.toLowerCase();
    if (isReservedName(m.name)) {
      errorsOf(m).push({
        severity: 'error', code: 'METRIC_NAME_RESERVED', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" starts with "${STAGING_PREFIX}", which duckmetrics reserves for its staging tables`,
        hint: `rename the metric, e.g. metric_name: ${m.name.slice(STAGING_PREFIX.length) || 'my_metric'}`,
      });
      continue;
    }
    if (isSourceName(key, state)) {
      const source = state.sources.get(key)?.name ?? state.tables.get(key)?.name ?? m.name;
      errorsOf(m).push({
        severity: 'error', code: 'METRIC_SHADOWS_SOURCE', file: m.file, line: m.nameLine, column: 1,
        message: `metric_name "${m.name}" is the name of source table "${source}"; building it would overwrite source data`,
        hint: `rename the metric, e.g. metric_name: ${m.name}_metric`,
      });
    }
  }
}
