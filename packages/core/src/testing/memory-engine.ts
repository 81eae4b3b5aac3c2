// An engine on an in-memory database with inline metric files, for tests.
import type { UserConfig } from '../plugins/plugin.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger, Plugin } from '../plugins/plugin.ts';
import { loadCore } from './_core.ts';
import { projectDir } from './project-dir.ts';
import type { ProjectFiles, TempProject } from './project-dir.ts';

/**
 * Options of `memoryEngine`.
 *
 * @example
 * ```ts
 * await memoryEngine({ files: { 'data/a.json': '[{"x":1}]' }, plugins: [parquetJson()], logger: { warn: (m) => warnings.push(m) } });
 * ```
 */
export interface MemoryEngineOptions {
  /** Files of the project (metric YAML, data files, a config file), e.g. `{ 'metrics/a.yaml': metricYaml(…) }`. */
  files?: ProjectFiles;
  /** The plugins under test, e.g. `[parquetJson()]`. Default: the config file's, else core's `[csv(), validateSql()]`. */
  plugins?: Plugin[];
  /** More config in code (`metricsDir`, …); `database` is always `:memory:`. */
  config?: Omit<UserConfig, 'database' | 'plugins'>;
  /** Where engine and plugin messages go, e.g. `{ warn: (m) => warnings.push(m) }`. Default: nowhere. */
  logger?: Partial<Logger>;
}

/**
 * An engine on an in-memory database over a temp project folder.
 *
 * @example
 * ```ts
 * const { engine, project, cleanup } = await memoryEngine({ files: { 'data/a.json': '[{"x":1}]' }, plugins: [parquetJson()] });
 * ```
 */
export interface TestEngine {
  /** The engine; its database is `:memory:`, so nothing is left on disk but the project folder. */
  engine: Engine;
  /** The temp project folder; `project.write(…)` adds or changes files between calls. */
  project: TempProject;
  /** Closes the engine and removes the folder. */
  cleanup(): Promise<void>;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['files', 'plugins', 'config', 'logger']);

function isOptions(value: ProjectFiles | MemoryEngineOptions): value is MemoryEngineOptions {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => OPTION_KEYS.has(k));
}

/**
 * Writes a temp project and creates an engine on `:memory:` for it: the quickest way to drive plugins through
 * the real engine (hook order, error attribution, position mapping) in a test. Pass the files directly, or
 * options with `files` and `plugins`.
 *
 * @example
 * ```ts
 * const { engine, cleanup } = await memoryEngine({
 *   files: { 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT * FROM range(3)' }) },
 *   plugins: [sqlStyle()],
 * });
 * try {
 *   expectDiagnostic(await engine.validate(), { code: 'STYLE_SELECT_STAR', line: 6 });
 * } finally {
 *   await cleanup();
 * }
 * ```
 */
export async function memoryEngine(filesOrOptions: ProjectFiles | MemoryEngineOptions = {}): Promise<TestEngine> {
  const options: MemoryEngineOptions = isOptions(filesOrOptions) ? filesOrOptions : { files: filesOrOptions as ProjectFiles };
  const project = await projectDir(options.files ?? {});
  const config: UserConfig = { ...options.config, database: ':memory:' };
  if (options.plugins !== undefined) config.plugins = options.plugins;
  const { createEngine } = await loadCore();
  const engine = createEngine({ cwd: project.dir, config, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  return {
    engine,
    project,
    async cleanup() {
      try {
        await engine.close();
      } finally {
        await project.cleanup();
      }
    },
  };
}
