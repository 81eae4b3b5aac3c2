// Validator plugin: EXPLAIN of every metric against the real database; the one-SELECT rule is core's own.
import { definePlugin, duckdbErrorDiagnostic, trimStatement } from '@duckmetrics/core';
import type { Plugin } from '@duckmetrics/core';

/** Options of the `validateSql()` plugin. */
export interface ValidateSqlOptions {
  /**
   * Run `EXPLAIN` against the database (catches unknown tables and columns, types, syntax). Default true. With
   * `false` the plugin checks nothing itself: the rule that a metric is exactly one SELECT is core's, and applies
   * to every metric whatever plugins run. Kept so configs that set it still load.
   */
  explain?: boolean;
}

/**
 * Validator plugin: `EXPLAIN` of the metric's SQL must succeed against the real database (unknown tables and
 * columns, type errors, syntax errors). DuckDB's error text is kept and its `LINE n` is mapped onto the YAML file.
 * That the SQL is exactly one SELECT is core's rule, checked for every metric before any plugin runs.
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
        return [duckdbErrorDiagnostic(error, 1)];
      }
    },
  });
}
