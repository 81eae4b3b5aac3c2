// Validator plugin: every metric planned (not run) against the real database; the one-SELECT rule is core's own.
import { definePlugin, duckdbErrorDiagnostic, trimStatement } from '@duckmetrics/core';
import type { Plugin } from '@duckmetrics/core';

/** Options of the `validateSql()` plugin. */
export interface ValidateSqlOptions {
  /**
   * Plan the SQL against the database without running it (catches unknown tables and columns, types, syntax).
   * Default true. With
   * `false` the plugin checks nothing itself: the rule that a metric is exactly one SELECT is core's, and applies
   * to every metric whatever plugins run. Kept so configs that set it still load.
   */
  explain?: boolean;
}

/**
 * Validator plugin: the metric's SQL must plan against the real database, as `EXPLAIN` would, at half its cost
 * (unknown tables and columns, type errors, syntax errors). DuckDB's error text is kept and its `LINE n` is mapped onto the YAML file.
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
      // Planning the statement unrun finds what EXPLAIN finds at about half its cost (EXPLAIN also renders the
      // plan); a database without `plan` (a hand-made one in a test) gets EXPLAIN.
      const sql = trimStatement(metric.sql);
      try {
        if (ctx.db.plan) await ctx.db.plan(`${sql}\n`);
        else await ctx.db.run(`EXPLAIN\n${sql}\n`);
        return [];
      } catch (error) {
        return [duckdbErrorDiagnostic(error, ctx.db.plan ? 0 : 1)];
      }
    },
  });
}
