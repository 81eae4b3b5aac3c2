// Temporary projects written from inline files, for tests.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Files of a test project: paths relative to the project folder, and their contents.
 *
 * @example
 * ```ts
 * const files: ProjectFiles = { 'data/orders.csv': 'id\n1\n', 'data/blob.parquet': new Uint8Array([0x50, 0x41, 0x52, 0x31]) };
 * ```
 */
export type ProjectFiles = Record<string, string | Uint8Array>;

/**
 * A temporary project folder written from an object of files.
 *
 * @example
 * ```ts
 * const project = await projectDir({ 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
 * await project.write({ 'data/orders.csv': 'id\n1\n' });
 * await project.cleanup();
 * ```
 */
export interface TempProject {
  /** Absolute path of the folder. */
  dir: string;
  /** Absolute path of a file inside it, e.g. `project.path('data', 'orders.csv')`. */
  path(...parts: string[]): string;
  /** Writes (or overwrites) more files, e.g. `await project.write({ 'metrics/b.yaml': '…' })`. */
  write(files: ProjectFiles): Promise<void>;
  /** Removes the folder, e.g. in `afterEach(() => project.cleanup())`. */
  cleanup(): Promise<void>;
}

/**
 * Writes a project into a new temp folder: keys are paths relative to it, values the contents.
 *
 * @example
 * ```ts
 * const project = await projectDir({ 'data/orders.csv': 'id,amount\n1,10\n', 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }) });
 * const engine = createEngine({ cwd: project.dir });
 * ```
 */
export async function projectDir(files: ProjectFiles = {}): Promise<TempProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-'));
  const write = async (more: ProjectFiles): Promise<void> => {
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

/**
 * Fields of a metric file; everything but `metric_name` and `sql` has a default.
 *
 * @example
 * ```ts
 * const fields: MetricYamlFields = { metric_name: 'revenue', sql: 'SELECT 1 AS x', tags: ['finance'] };
 * ```
 */
export interface MetricYamlFields {
  /** The metric's name (its table). */
  metric_name: string;
  /** The SELECT statement, written as a literal block. */
  sql: string;
  /** Default `test metric`. */
  description?: string;
  /** Default `tests`. */
  owner?: string;
  /** Default `0 6 * * *`. */
  schedule?: string;
  /** Any other field (`tags`, `columns`, …), written as JSON. */
  [key: string]: unknown;
}

/**
 * A metric file's text with sensible defaults; `sql` is written as a literal block (last), other values as JSON
 * (which is valid YAML), one per line in the order given after the defaults. With the defaults, `sql: |` is on
 * line 5 and the SQL's first line on line 6.
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
