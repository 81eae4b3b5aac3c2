export { validateSql } from './validate-sql-plugin.ts';
export type { ValidateSqlOptions } from './validate-sql-plugin.ts';
