export { csv, tableName, fileFingerprint, readCsvArguments } from './csv-plugin.ts';
export type { CsvPluginOptions, ReadCsvOptions } from './csv-plugin.ts';
