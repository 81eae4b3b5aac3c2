import { definePlugin, duckdbErrorDiagnostic, quoteLiteral, trimStatement } from '@duckmetrics/core';
import type { Database, Metric, Plugin, PluginDiagnostic } from '@duckmetrics/core';

/** Options of the `validateSql()` plugin. */
export interface ValidateSqlOptions {
  /** Run `EXPLAIN` against the database (catches unknown tables and columns). Default true. */
  explain?: boolean;
}

/**
 * Validator plugin: `EXPLAIN` of the metric's SQL must succeed against the real database (unknown tables and
 * columns, type errors, syntax errors). With `explain: false` it checks only that the SQL is exactly one SELECT
 * (or WITH … SELECT) by DuckDB's own parser — which core also enforces for every metric. DuckDB's error text is kept and its
 * `LINE n` is mapped onto the YAML file.
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
      // With EXPLAIN, DuckDB's parser reports syntax errors at the same position, and core itself refuses SQL that
      // is not exactly one SELECT before any plugin runs: parsing again here would cost two statements per metric
      // (measured: validate of 400 metrics 1.19 s → 0.96 s without them).
      if (options.explain === false) {
        const shape = await checkSingleSelect(ctx.db, metric);
        return shape ? [shape] : [];
      }
      try {
        await ctx.db.run(`EXPLAIN\n${trimStatement(metric.sql)}\n`);
        return [];
      } catch (error) {
        return [duckdbErrorDiagnostic(error, 1)];
      }
    },
  });
}

async function checkSingleSelect(db: Database, metric: Metric): Promise<PluginDiagnostic | undefined> {
  let count: number;
  try {
    count = await db.countStatements(metric.sql);
  } catch (error) {
    return duckdbErrorDiagnostic(error, 0);
  }
  if (count === 0) return { code: 'SQL_EMPTY', message: 'sql holds no statement', hint: 'write one SELECT statement' };
  if (count > 1) {
    return {
      code: 'SQL_MULTIPLE_STATEMENTS',
      message: `sql must be exactly one statement; found ${count}`,
      hint: 'keep one SELECT; put other queries in their own metric files, and use CTEs (WITH …) for steps',
      sqlOffset: 0,
    };
  }
  const [row] = await db.all<{ ast: string }>(`SELECT json_serialize_sql(${quoteLiteral(metric.sql)}) AS ast`);
  const ast = JSON.parse(row?.ast ?? '{}') as { error?: boolean; error_type?: string; error_message?: string };
  if (ast.error && ast.error_type === 'not implemented') {
    const keyword = firstKeyword(metric.sql);
    return {
      code: 'SQL_NOT_SELECT',
      message: `sql must be a SELECT statement; found ${keyword ? `${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} statement` : 'another kind of statement'}`,
      hint: 'a metric is a query: write SELECT … (or WITH … SELECT …); duckmetrics creates the table itself',
      sqlOffset: 0,
    };
  }
  return undefined;
}

function firstKeyword(sql: string): string | undefined {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim();
  return /^[A-Za-z]+/.exec(stripped)?.[0]?.toUpperCase();
}
