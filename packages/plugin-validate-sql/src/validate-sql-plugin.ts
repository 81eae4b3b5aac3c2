import { definePlugin, duckdbErrorDiagnostic, trimStatement } from '@duckmetrics/core';
import type { Plugin } from '@duckmetrics/core';

/** Options of the `validateSql()` plugin. */
export interface ValidateSqlOptions {
  /**
   * Run `EXPLAIN` against the database (catches unknown tables and columns, type and syntax errors). Default true.
   * With `false` the plugin checks nothing itself; the option is kept so that existing configs still load. The
   * one-SELECT rule does not depend on it: core enforces it for every metric, whatever plugins are configured.
   */
  explain?: boolean;
}

/**
 * Validator plugin: `EXPLAIN` of the metric's SQL must succeed against the real database (unknown tables and
 * columns, type errors, syntax errors). DuckDB's error text is kept and its `LINE n` is mapped onto the YAML file.
 * That the SQL is exactly one SELECT (SQL_EMPTY, SQL_MULTIPLE_STATEMENTS, SQL_NOT_SELECT) is core's rule, checked
 * for every metric before any plugin runs; `explain: false` turns this plugin's only check off.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [csv(), validateSql()] });
 * ```
 */
export function validateSql(options: ValidateSqlOptions = {}): Plugin {
  return definePlugin({
    name: 'validate-sql',
    async validate(metric, ctx) {
      if (options.explain === false) return [];
      try {
        await ctx.db.run(`EXPLAIN\n${trimStatement(metric.sql)}\n`);
        return [];
      } catch (error) {
        // The statement starts on the line after EXPLAIN: DuckDB's LINE n is one more than the SQL's own line.
        return [duckdbErrorDiagnostic(error, 1)];
      }
    },
  });
}
