export type { ResolvedConfig, UserConfig } from './config.ts';
export { CONFIG_SEARCH_PLACES, loadConfig } from './config-loader.ts';
export type { LoadConfigOptions } from './config-loader.ts';
export { duckdbErrorCode, duckdbErrorDiagnostic, duckdbErrorPosition, duckdbErrorText, plainValue } from './database.ts';
export type { Database, SqlErrorPosition } from './database.ts';
export { defineConfig, definePlugin } from './define.ts';
export { codeFrame, formatDiagnosticLocation } from './diagnostics.ts';
export type { Diagnostic, PluginDiagnostic, Severity } from './diagnostics.ts';
export { createEngine } from './engine.ts';
export type { CleanOptions, Engine, EngineOptions, RunOptions } from './engine.ts';
export { ConfigError, DatabaseLockedError, DuckmetricsError, PluginError } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export type { EngineEventName, EngineEvents } from './events.ts';
export { didYouMean } from './internal/did-you-mean.ts';
export { quoteIdent, quoteLiteral, sqlValue, trimStatement } from './internal/sql.ts';
export type { Metric, MetricColumn } from './metric.ts';
export { findMetricFiles, loadMetricFile, parseMetricSource } from './metric-loader.ts';
export type { MetricFile } from './metric-loader.ts';
export { isValidSchedule, METRIC_KEYS, METRIC_NAME_PATTERN, metricJsonSchema, parseMetricData } from './metric-schema.ts';
export type { MetricFileData, SchemaIssue } from './metric-schema.ts';
export type { HookContext, HookName, HookOrder, LoadSourcesOptions, Logger, MaterializeOutcome, ObjectHook, Plugin, PluginHooks, SourceLoad } from './plugin.ts';
export { readHistory } from './run-history.ts';
export type { HistoryEntry } from './run-history.ts';
export { selectMetrics } from './selection.ts';
export type { Selection, SelectionGraph } from './selection.ts';
export { STATE_SCHEMA } from './state-store.ts';
export { HOOK_KINDS } from './plugin-driver.ts';
export type { Catalog, CatalogColumn, CatalogLastRun, CatalogMetric, CatalogSource } from './catalog.ts';
export { isDue, nextDue, nextScheduled } from './schedule.ts';
export { COLUMN_CHECKS, METRIC_CHECKS, normalizeChecks } from './checks.ts';
export type { Check, CheckType, Locate } from './checks.ts';
export type { FilePosition } from './internal/yaml-positions.ts';
export type {
  CheckResult,
  TestResult,
  CleanResult,
  LoadResult,
  MetricRunResult,
  MetricValidation,
  RunResult,
  SourceResult,
  ValidateResult,
} from './results.ts';
