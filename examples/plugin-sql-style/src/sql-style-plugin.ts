import { readFile } from 'node:fs/promises';
import { definePlugin, quoteLiteral } from '@duckmetrics/core';
import type { Database, Metric, Plugin, PluginDiagnostic, Severity } from '@duckmetrics/core';

/** The rules, by name. */
export const STYLE_RULES: readonly ['select-star', 'owner', 'required-tags'] = ['select-star', 'owner', 'required-tags'];

/** One of `STYLE_RULES`. */
export type StyleRule = (typeof STYLE_RULES)[number];

/** How a rule reports: as an `error` (the metric is invalid), a `warning`, or not at all. */
export type RuleSeverity = Severity | 'off';

/** Options of the `sqlStyle()` plugin. */
export interface SqlStyleOptions {
  /** `owner` must match this (a string is compiled as a RegExp). No owner check when absent. */
  ownerPattern?: RegExp | string;
  /** Tags every metric must carry. */
  requiredTags?: string[];
  /** Severity per rule. Defaults: `select-star` warning, `owner` error, `required-tags` error. */
  severity?: Partial<Record<StyleRule, RuleSeverity>>;
}

const DEFAULT_SEVERITY: Record<StyleRule, RuleSeverity> = { 'select-star': 'warning', owner: 'error', 'required-tags': 'error' };

/**
 * Validator plugin with SQL style rules:
 * - `select-star` (`STYLE_SELECT_STAR`): no `*` in a select list, found in DuckDB's own parse tree
 *   (`json_serialize_sql`), so `count(*)` and a `*` in a string or comment are fine; positioned on the star.
 * - `owner` (`STYLE_OWNER_PATTERN`): `owner` must match `ownerPattern`; positioned on the `owner:` line.
 * - `required-tags` (`STYLE_TAGS_MISSING`): every tag in `requiredTags` must be present.
 *
 * SQL that DuckDB cannot parse is left to `validateSql()`.
 *
 * @example
 * ```ts
 * export default defineConfig({
 *   plugins: [csv(), validateSql(), sqlStyle({ ownerPattern: /^[a-z-]+-analytics$/, requiredTags: ['tier'], severity: { 'select-star': 'error' } })],
 * });
 * ```
 */
export function sqlStyle(options: SqlStyleOptions = {}): Plugin {
  const severity = { ...DEFAULT_SEVERITY, ...options.severity };
  for (const [rule, value] of Object.entries(severity)) {
    if (!(STYLE_RULES as readonly string[]).includes(rule)) throw new Error(`sqlStyle: unknown rule "${rule}"; rules are ${STYLE_RULES.join(', ')}`);
    if (!['error', 'warning', 'off'].includes(value)) throw new Error(`sqlStyle: severity of "${rule}" must be error, warning or off`);
  }
  // Without `g`/`y`, `test` keeps no state between metrics.
  const ownerPattern = options.ownerPattern === undefined ? undefined : new RegExp(options.ownerPattern, typeof options.ownerPattern === 'string' ? '' : options.ownerPattern.flags.replace(/[gy]/g, ''));
  const requiredTags = options.requiredTags ?? [];
  return definePlugin({
    name: 'sql-style',
    async validate(metric, ctx) {
      const found: PluginDiagnostic[] = [];
      if (severity['select-star'] !== 'off') {
        for (const offset of await findSelectStars(ctx.db, metric.sql)) {
          found.push({
            severity: severity['select-star'],
            code: 'STYLE_SELECT_STAR',
            message: 'SELECT * makes the table change shape whenever an upstream table does',
            hint: 'list the columns the metric needs',
            sqlOffset: offset,
          });
        }
      }
      if (severity.owner !== 'off' && ownerPattern && !ownerPattern.test(metric.owner)) {
        found.push({
          severity: severity.owner,
          code: 'STYLE_OWNER_PATTERN',
          message: `owner "${metric.owner}" does not match ${String(ownerPattern)}`,
          hint: 'use the owning team as named in the team directory',
          ...(await keyPosition(metric, 'owner')),
        });
      }
      const missing = requiredTags.filter((t) => !metric.tags.includes(t));
      if (severity['required-tags'] !== 'off' && missing.length > 0) {
        found.push({
          severity: severity['required-tags'],
          code: 'STYLE_TAGS_MISSING',
          message: `missing required tag${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
          hint: `add them: tags: [${[...metric.tags, ...missing].join(', ')}]`,
          ...(await keyPosition(metric, 'tags')),
        });
      }
      return found;
    },
  });
}

type AstNode = { [key: string]: unknown };

/**
 * 0-based character offsets of every `*` / `t.*` / `COLUMNS(*)` in a select list of `sql`, read from DuckDB's
 * parse tree (`json_serialize_sql`); `[]` when DuckDB cannot serialise the SQL (a syntax error, not a SELECT).
 * `COLUMNS('regex')` and `count(*)` are not stars.
 *
 * @example
 * ```ts
 * await findSelectStars(ctx.db, 'SELECT a, t.* FROM t'); // [10]
 * ```
 */
export async function findSelectStars(db: Database, sql: string): Promise<number[]> {
  const [row] = await db.all<{ ast: string }>(`SELECT json_serialize_sql(${quoteLiteral(sql)}) AS ast`);
  const ast = JSON.parse(row?.ast ?? '{}') as AstNode;
  if (ast.error !== false) return [];
  const bytes = Buffer.from(sql, 'utf8');
  const offsets: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.class === 'STAR' && n.expr === null) {
      // query_location is a byte offset into the UTF-8 text; JS offsets count UTF-16 units.
      const location = typeof n.query_location === 'number' && n.query_location <= bytes.length ? n.query_location : undefined;
      if (location !== undefined) offsets.push(bytes.subarray(0, location).toString('utf8').length);
    }
    Object.values(n).forEach(visit);
  };
  visit(ast.statements);
  return [...new Set(offsets)].sort((a, b) => a - b);
}

/** The file line and column of a top-level `key:` in the metric's YAML, or the `metric_name` line. */
async function keyPosition(metric: Metric, key: string): Promise<{ line: number; column: number }> {
  const text = await readFile(metric.path, 'utf8').catch(() => '');
  const index = text.split(/\r?\n/).findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return index >= 0 ? { line: index + 1, column: 1 } : { line: metric.nameLine, column: 1 };
}
