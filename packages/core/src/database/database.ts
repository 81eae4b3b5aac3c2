// The narrow `Database` interface plugins get, plain values out of DuckDB, and DuckDB errors as diagnostics.
import type { PluginDiagnostic } from '../diagnostics.ts';

/**
 * The narrow database interface handed to plugins: run a statement, or read a small result.
 * Core keeps the only dependency on DuckDB; a plugin can be unit-tested with any object of this shape.
 *
 * @example
 * ```ts
 * await ctx.db.run(`CREATE OR REPLACE TABLE t AS SELECT 1 AS x`);
 * const [{ n }] = await ctx.db.all<{ n: number }>(`SELECT count(*) AS n FROM t`);
 * ```
 */
export interface Database {
  /** Runs one or more statements and discards any result. */
  run(sql: string): Promise<void>;
  /**
   * Runs a query and returns its rows as plain objects. BIGINT and HUGEINT values become numbers when they
   * are safe integers (|n| ≤ 2^53 − 1), else decimal strings; dates and timestamps become `Date` (see docs/api.md).
   */
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** How many statements `sql` holds, by DuckDB's own parser (throws on a syntax error). */
  countStatements(sql: string): Promise<number>;
  /**
   * Binds and plans one statement without running it, and throws what planning throws (unknown table or column, a
   * type error, a syntax error, a sandbox refusal). About half the cost of `EXPLAIN`, which also renders the plan.
   * Optional, so a hand-made database for a plugin's tests needs no such method; core's databases always have it.
   */
  plan?(sql: string): Promise<void>;
  /**
   * Runs `work` on a connection of its own to the same database, beside this one (several files loaded at once,
   * each in its own transaction), and closes that connection when `work` settles. Optional, so a hand-made database
   * for a plugin's tests needs no such method (a plugin then does the work on this connection); core's databases
   * always have it, and an interrupt (Ctrl-C) reaches its statements too.
   */
  withConnection?<T>(work: (connection: Database) => Promise<T>): Promise<T>;
}

/**
 * Makes a JS value from DuckDB plain: bigints become numbers when exact, else strings.
 *
 * @example
 * ```ts
 * plainValue(42n); // 42
 * plainValue(2n ** 64n); // '18446744073709551616'
 * plainValue({ n: 1n, at: new Date(0) }); // { n: 1, at: Date }
 * ```
 */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

/**
 * A 1-based position inside a SQL statement taken from a DuckDB error's `LINE n:` and caret.
 *
 * @example
 * ```ts
 * const at: SqlErrorPosition | undefined = duckdbErrorPosition(error.message); // { line: 2, column: 8 }
 * ```
 */
export interface SqlErrorPosition {
  line: number;
  column: number;
}

/**
 * Reads the position DuckDB points at in an error message (`LINE 2: SELECT b` and a caret line below).
 *
 * @example
 * ```ts
 * duckdbErrorPosition('Binder Error: ...\n\nLINE 2: SELECT b\n               ^'); // { line: 2, column: 8 }
 * ```
 */
export function duckdbErrorPosition(message: string): SqlErrorPosition | undefined {
  const match = /^(LINE (\d+): )(.*)\r?\n( *)\^/m.exec(message);
  if (!match) return undefined;
  const text = match[3]!;
  const column = match[4]!.length - match[1]!.length + 1;
  // DuckDB elides long lines with "..."; the caret then points into the elided text.
  if (text.startsWith('...') || column < 1 || column > text.length + 1) return { line: Number(match[2]), column: 1 };
  return { line: Number(match[2]), column };
}

/**
 * The first part of a DuckDB error message, without the `LINE n:` excerpt.
 *
 * @example
 * ```ts
 * duckdbErrorText('Binder Error: column "x" not found\n\nLINE 1: SELECT x\n               ^'); // 'Binder Error: column "x" not found'
 * ```
 */
export function duckdbErrorText(message: string): string {
  return message.replace(/\n*LINE \d+:[\s\S]*$/, '').trim();
}

/** DuckDB's words when the sandbox (`enable_external_access = false`, `lock_configuration`) stopped a statement. */
const SANDBOX_MESSAGE = /disabled (?:by|through) configuration|the configuration has been locked/i;

/**
 * Classifies a DuckDB error message by its prefix (`Binder Error:` → `SQL_BINDER`); what the sandbox stopped
 * (file, network or extension access, a locked setting) is `SANDBOX`.
 *
 * @example
 * ```ts
 * duckdbErrorCode('Binder Error: …'); // 'SQL_BINDER'
 * duckdbErrorCode('Catalog Error: Table with name t does not exist!'); // 'SQL_CATALOG'
 * ```
 */
export function duckdbErrorCode(message: string): string {
  if (SANDBOX_MESSAGE.test(message)) return 'SANDBOX';
  const match = /^(\w+(?: \w+)?) Error:/.exec(message);
  return match ? `SQL_${match[1]!.toUpperCase().replace(/ /g, '_')}` : 'SQL_ERROR';
}

/**
 * A DuckDB error from a statement that holds the metric's SQL after `prefixLines` lines of its own, as a plugin
 * diagnostic positioned inside the SQL (the engine maps it onto the YAML file). DuckDB's text, including its
 * "Did you mean", is kept.
 *
 * @example
 * ```ts
 * try { await ctx.db.run(`EXPLAIN\n${metric.sql}`); } catch (e) { return [duckdbErrorDiagnostic(e, 1)]; }
 * ```
 */
export function duckdbErrorDiagnostic(error: unknown, prefixLines = 0): PluginDiagnostic {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, '');
  const text = duckdbErrorText(message);
  const d: PluginDiagnostic = { code: duckdbErrorCode(text), message: text };
  const position = duckdbErrorPosition(message);
  if (position && position.line > prefixLines) {
    d.sqlLine = position.line - prefixLines;
    d.sqlColumn = position.column;
  }
  if (d.code === 'SANDBOX') {
    d.message = `${text.replace(/^Permission Error: /, '')} (metric SQL runs in the sandbox: no files, network or extensions)`;
    d.hint = 'read sources and other metrics by table name (files are loaded by `duckmetrics setup`); only a team that trusts every metric author should set sandbox: false in the config (docs/security.md in the duckmetrics repository)';
  } else if (/Table with name|Referenced table/.test(text)) {
    d.hint = 'refer to a source table (run `duckmetrics setup` to load data/) or another metric by its name';
  } else if (/Referenced column|column .* not found/i.test(text)) {
    d.hint = 'check the column name against the table (DuckDB lists candidates above)';
  } else if (d.code === 'SQL_PARSER') {
    d.hint = 'fix the SQL syntax at this position';
  }
  return d;
}
