import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';

/** A temporary project folder written from an object of files. */
export interface TempProject {
  /** Absolute path of the folder. */
  dir: string;
  /** Absolute path of a file inside it. */
  path(...parts: string[]): string;
  /** Writes (or overwrites) more files. */
  write(files: Record<string, string | Uint8Array>): Promise<void>;
  /** Removes the folder. */
  cleanup(): Promise<void>;
}

/**
 * Writes a project into a new temp folder: keys are paths relative to it, values the contents.
 *
 * @example
 * ```ts
 * const project = await projectDir({ 'data/orders.csv': 'id,amount\n1,10\n', 'metrics/a.yaml': metricYaml({ metric_name: 'a' }) });
 * const engine = createEngine({ cwd: project.dir });
 * ```
 */
export async function projectDir(files: Record<string, string | Uint8Array> = {}): Promise<TempProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-'));
  const write = async (more: Record<string, string | Uint8Array>): Promise<void> => {
    for (const [name, content] of Object.entries(more)) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
  };
  await write(files);
  return {
    dir,
    path: (...parts) => path.join(dir, ...parts),
    write,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Fields of a metric file; everything but `sql` has a default. */
export interface MetricYamlFields {
  metric_name: string;
  sql: string;
  description?: string;
  owner?: string;
  schedule?: string;
  [key: string]: unknown;
}

/**
 * A metric file's text with sensible defaults; `sql` is written as a literal block, other values as JSON
 * (which is valid YAML).
 *
 * @example
 * ```ts
 * metricYaml({ metric_name: 'revenue', sql: 'SELECT sum(amount) AS revenue FROM orders' });
 * ```
 */
export function metricYaml(fields: MetricYamlFields): string {
  const { sql, ...rest } = { description: 'test metric', owner: 'tests', schedule: '0 6 * * *', ...fields };
  const lines = Object.entries(rest).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  lines.push('sql: |', ...String(sql).split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

/**
 * The diagnostics of a result, flattened, for assertions.
 *
 * @example
 * ```ts
 * expect(diagnosticsOf(await engine.validate())).toContainEqual(expect.objectContaining({ code: 'SQL_BINDER', line: 7 }));
 * ```
 */
export function diagnosticsOf(result: { metrics: Array<{ errors: Diagnostic[]; warnings: Diagnostic[] }> }): Diagnostic[] {
  return result.metrics.flatMap((m) => [...m.errors, ...m.warnings]);
}
