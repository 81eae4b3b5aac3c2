export { parquetJson, readerCall, tableFileKind } from './parquet-json-plugin.ts';
export type { ParquetJsonOptions, TableFileKind } from './parquet-json-plugin.ts';
