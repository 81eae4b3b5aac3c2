// The public API of @duckmetrics/core, listed export by export.
export type { ResolvedConfig, UserConfig } from './plugins/plugin.ts';
export { CONFIG_SEARCH_PLACES, loadConfig } from './config/config-loader.ts';
export type { LoadConfigOptions } from './config/config-loader.ts';
export { duckdbErrorCode, duckdbErrorDiagnostic, duckdbErrorPosition, duckdbErrorText, plainValue } from './database/database.ts';
export type { Database, SqlErrorPosition } from './database/database.ts';
export { defineConfig, definePlugin } from './define.ts';
export { codeFrame, formatDiagnosticLocation } from './diagnostics.ts';
export type { Diagnostic, PluginDiagnostic, Severity } from './diagnostics.ts';
export { createEngine } from './engine/engine.ts';
export type { Engine } from './engine/engine.ts';
export type { CleanOptions, EngineOptions, RunOptions, TestOptions } from './engine/options.ts';
export { ConfigError, DatabaseLockedError, DuckmetricsError, PluginError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export type { EngineEventName, EngineEvents } from './events.ts';
export { didYouMean } from './did-you-mean.ts';
export { quoteIdent, quoteLiteral, sqlValue, trimStatement } from './database/sql.ts';
export type { Metric, MetricColumn } from './metrics/metric.ts';
export { findMetricFiles, loadMetricFile, parseMetricSource } from './metrics/metric-loader.ts';
export type { MetricFile } from './metrics/metric-loader.ts';
export { isValidSchedule, METRIC_KEYS, METRIC_NAME_PATTERN, metricJsonSchema, parseMetricData } from './metrics/metric-schema.ts';
export type { MetricFileData, SchemaIssue } from './metrics/metric-schema.ts';
export type { HookContext, HookName, HookOrder, LoadSourcesOptions, Logger, MaterializeOutcome, ObjectHook, Plugin, PluginHooks, SourceLoad } from './plugins/plugin.ts';
export { readHistory } from './state/runs.ts';
export type { HistoryEntry } from './state/runs.ts';
export { selectMetrics } from './project/selection.ts';
export type { Selection, SelectionGraph } from './project/selection.ts';
export { STATE_SCHEMA } from './state/schema.ts';
export { createPluginDriver, HOOK_KINDS } from './plugins/plugin-driver.ts';
export type { HookKind, HookKinds, HookOutcome, HooksOf, PluginDriver } from './plugins/plugin-driver.ts';
export type { Catalog, CatalogBuild, CatalogColumn, CatalogLastRun, CatalogMetric, CatalogSnapshot, CatalogSnapshotVersion, CatalogSource, CatalogTrend } from './catalog.ts';
export { isDue, nextDue, nextScheduled } from './project/cron.ts';
export { COLUMN_CHECKS, METRIC_CHECKS, normalizeChecks } from './checks/checks.ts';
export type { Check, CheckType, Locate } from './checks/checks.ts';
export type { FilePosition } from './metrics/yaml-positions.ts';
export type { TestRow, UnitTest, UnitTestExpect, UnitTestInput } from './unit-tests/unit-test.ts';
export { DEFAULT_TOLERANCE } from './unit-tests/unit-test.ts';
export { compareRows, formatRowDiff } from './unit-tests/compare-rows.ts';
export type { ComparedRow, CompareOptions, RowDiff } from './unit-tests/compare-rows.ts';
export type {
  CheckResult,
  TestResult,
  UnitTestResult,
  CleanResult,
  LoadResult,
  MetricRunResult,
  MetricValidation,
  RunResult,
  SourceResult,
  ValidateResult,
} from './results.ts';
export type { BuildHashes, BuildPlan, BuildRequest, BuildStep, BuildStepBuild, BuildStepSkip } from './project/build-plan.ts';
export type { StateView } from './state/state-view.ts';
export type { LoadOptions } from './tasks/load.ts';
export type { PlanOptions } from './tasks/plan.ts';
export type { DiffColumn, DiffSampleRow, MetricPlan, PlanResult, PublishResult, RollbackResult, TableDiff } from './preview/plan-types.ts';
export { diffKey } from './preview/diff-key.ts';
export type { SelectResult } from './tasks/select.ts';
export type { SnapshotSpec } from './metrics/snapshot-spec.ts';
export type { QueryMetricOptions, QueryMetricResult } from './tasks/query-metric.ts';
export type { MetricDescription } from './tasks/describe-metrics.ts';
export type { Measure, MetricSemantics, NamedAt, TimeGrain } from './semantic/semantic-model.ts';
export { TIME_GRAINS } from './semantic/semantic-model.ts';
export type { QueryCompare } from './semantic/query-sql.ts';
export type { SourceFileChange } from './state/source-files.ts';
export type { DatabaseTarget } from './database/target.ts';
export type { ColumnEntry, TableEntry } from './database/introspection.ts';
export type { MetricState, SourceState } from './state/builds.ts';
export type { Project } from './project/load-project.ts';
export type { MetricGraph } from './project/graph.ts';
export type { FunctionCall, ParsedSql, ShowReference, TableReference } from './project/sql-parse.ts';
