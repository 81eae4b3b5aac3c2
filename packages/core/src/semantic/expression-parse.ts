// User expressions (measures, --where) through DuckDB's parser: one expression each, walked as AST, written back by DuckDB.
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';

/** A node of DuckDB's serialized expression tree (`json_serialize_sql`). */
export type AstNode = Record<string, unknown>;

/** One expression as DuckDB parsed it: its tree, or why it is not exactly one expression. */
export type ParsedExpression = { node: AstNode; statement: AstNode } | { problem: string };

/**
 * Parses each text as the single select-list item of `SELECT <text>`, in one DuckDB query. Anything that makes the
 * statement more than one bare expression (a second statement, FROM, WHERE, GROUP BY, UNION, a CTE, an alias) is a
 * problem: the text never reaches DuckDB except as a string literal handed to its parser.
 */
export async function parseExpressions(db: Database, texts: readonly string[]): Promise<ParsedExpression[]> {
  if (texts.length === 0) return [];
  const list = texts.map((t) => quoteLiteral(`SELECT ${t}`)).join(', ');
  const rows = await db.all<{ i: number; ast: string }>(
    `SELECT i::INTEGER AS i, json_serialize_sql(s) AS ast FROM (SELECT unnest([${list}]) AS s, generate_subscripts([${list}], 1) AS i) ORDER BY i`,
  );
  return rows.map((row) => readExpression(row.ast));
}

function readExpression(json: string): ParsedExpression {
  const ast = JSON.parse(json, (key, value: unknown) => (key === 'query_location' ? undefined : value)) as { error?: boolean; error_message?: string; error_type?: string; statements?: AstNode[] };
  if (ast.error || !ast.statements) {
    return { problem: ast.error_type === 'not implemented' ? 'it is not an expression (only one expression may be written, no statements)' : `DuckDB cannot parse it: ${(ast.error_message ?? 'syntax error').split('\n')[0]}` };
  }
  if (ast.statements.length !== 1) return { problem: `it must be one expression; DuckDB found ${ast.statements.length} statements` };
  const statement = ast.statements[0]!;
  const node = statement.node as AstNode;
  const selectList = node.select_list as AstNode[] | undefined;
  const bare = node.type === 'SELECT_NODE'
    && selectList?.length === 1
    && (node.from_table as AstNode | undefined)?.type === 'EMPTY'
    && node.where_clause === null && node.having === null && node.qualify === null && node.sample === null
    && (node.group_expressions as unknown[]).length === 0 && (node.modifiers as unknown[]).length === 0
    && ((node.cte_map as { map: unknown[] }).map.length === 0);
  if (!bare) return { problem: 'it must be one expression, without FROM, WHERE, GROUP BY, ORDER BY, LIMIT, UNION or WITH' };
  const item = selectList[0]!;
  if (item.alias !== '') return { problem: `it must be an expression without an alias (AS ${String(item.alias)})` };
  return { node: item, statement };
}

/** Writes expression trees back as SQL text, by DuckDB (`json_deserialize_sql`), in one query. */
export async function expressionSql(db: Database, parsed: ReadonlyArray<{ node: AstNode; statement: AstNode }>): Promise<string[]> {
  if (parsed.length === 0) return [];
  const docs = parsed.map(({ node, statement }) => {
    const inner = { ...(statement.node as AstNode), select_list: [node] };
    return quoteLiteral(JSON.stringify({ error: false, statements: [{ ...statement, node: inner }] }));
  });
  const rows = await db.all<{ i: number; sql: string }>(
    `SELECT i::INTEGER AS i, json_deserialize_sql(s) AS sql FROM (SELECT unnest([${docs.join(', ')}]) AS s, generate_subscripts([${docs.join(', ')}], 1) AS i) ORDER BY i`,
  );
  return rows.map((r) => r.sql.replace(/^SELECT /, ''));
}

/** What a walk says about a node: whether it sits inside an aggregate call. */
export interface WalkContext {
  insideAggregate: boolean;
}

/**
 * Visits every expression node, outermost first, telling whether it is inside a call of one of `aggregates`.
 * `visit` may return a replacement node, which is not walked further.
 */
export function mapExpression(node: AstNode, aggregates: ReadonlySet<string>, visit: (node: AstNode, context: WalkContext) => AstNode | undefined, context: WalkContext = { insideAggregate: false }): AstNode {
  const replaced = visit(node, context);
  if (replaced !== undefined) return replaced;
  const inner: WalkContext = { insideAggregate: context.insideAggregate || isAggregateCall(node, aggregates) };
  const mapValue = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(mapValue);
    if (value !== null && typeof value === 'object') {
      const child = value as AstNode;
      return typeof child.class === 'string' ? mapExpression(child, aggregates, visit, inner) : Object.fromEntries(Object.entries(child).map(([k, v]) => [k, mapValue(v)]));
    }
    return value;
  };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mapValue(v)]));
}

/** True for a call of an aggregate function (`sum(x)`, `count(*)` which DuckDB writes `count_star()`). */
export function isAggregateCall(node: AstNode, aggregates: ReadonlySet<string>): boolean {
  return node.class === 'FUNCTION' && typeof node.function_name === 'string' && aggregates.has(node.function_name.toLowerCase());
}

/** The column a COLUMN_REF names, or undefined for a qualified one (`t.x`). */
export function columnName(node: AstNode): string | undefined {
  const names = node.column_names as string[] | undefined;
  return node.class === 'COLUMN_REF' && names?.length === 1 ? names[0] : undefined;
}
