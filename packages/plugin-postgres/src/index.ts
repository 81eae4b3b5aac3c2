export { postgres, sourceSpecs, tableNameOf } from './postgres-plugin.ts';
export type { IncrementalOptions, PostgresPluginOptions } from './postgres-plugin.ts';
export { planColumn, numericType, DUCKDB_MAX_DECIMAL_WIDTH } from './type-mapping.ts';
export type { ColumnPlan, PgColumn } from './type-mapping.ts';
export { redact, describeUrl } from './pg-errors.ts';
export type { PgErrorCode } from './pg-errors.ts';
