// What decides a metric's validation, as one key: its file's bytes, the tool, the config and plugins, and the shape of
// every table it reads (a source's columns and types, an upstream metric's own key).
import type { ColumnEntry } from '../database/introspection.ts';
import type { Metric } from '../metrics/metric.ts';
import { sha256 } from './hashing.ts';
import type { Project } from './load-project.ts';

/**
 * The validation key of every metric whose inputs are all known, in build order. A metric reading a table that is
 * neither a metric of the project nor in the database, or reading a metric without a key, gets none (it is
 * validated every time). `context` is the config's own key (see `configKey`).
 */
export function validationKeys(project: Pick<Project, 'order' | 'reads' | 'facts' | 'cycles'>, columns: readonly ColumnEntry[], context: string): Map<Metric, string> {
  const byName = new Map(project.order.map((m) => [m.name.toLowerCase(), m]));
  const shapes = new Map<string, string[]>();
  for (const c of columns) shapes.set(c.table.toLowerCase(), [...(shapes.get(c.table.toLowerCase()) ?? []), `${c.column}:${c.type}`]);
  const keys = new Map<Metric, string>();
  for (const metric of project.order) {
    const facts = project.facts.get(metric);
    if (!facts || project.cycles.has(metric)) continue;
    const inputs: string[] = [];
    let known = true;
    for (const table of [...(project.reads.get(metric) ?? [])].sort()) {
      const upstream = byName.get(table);
      const key = upstream ? keys.get(upstream) : shapes.has(table) ? shapes.get(table)!.join(',') : undefined;
      if (key === undefined) {
        known = false;
        break;
      }
      inputs.push(`${table}=${key}`);
    }
    if (known) keys.set(metric, sha256(JSON.stringify([context, facts.contentHash, metric.file, inputs])));
  }
  return keys;
}
