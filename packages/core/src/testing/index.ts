// The plugin kit, `@duckmetrics/core/testing`, listed export by export.
/**
 * The plugin kit: helpers to test plugins and projects against the real engine. Framework-agnostic (assertions
 * throw Node's `AssertionError`), used by duckmetrics' own tests and the example plugins.
 *
 * @example
 * ```ts
 * import { expectDiagnostic, memoryEngine, metricYaml } from '@duckmetrics/core/testing';
 * ```
 *
 * @module
 */
export { diagnosticsOf, expectDiagnostic, expectNoDiagnostics, formatDiagnostics, matchesDiagnostic } from './diagnostic-assertions.ts';
export type { AnyDiagnostic, DiagnosticMatch, DiagnosticSource } from './diagnostic-assertions.ts';
export { hookContext, invokeHook, testMetric } from './hook-context.ts';
export type { HookContextOptions, TestHookContext, TestMetricFields } from './hook-context.ts';
export { memoryEngine } from './memory-engine.ts';
export type { MemoryEngineOptions, TestEngine } from './memory-engine.ts';
export { metricYaml, projectDir } from './project-dir.ts';
export type { MetricYamlFields, ProjectFiles, TempProject } from './project-dir.ts';
