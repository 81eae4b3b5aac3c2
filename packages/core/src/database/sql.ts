// SQL quoting: identifiers and literals from users are quoted here before they reach DuckDB.
/** Quotes a SQL identifier for DuckDB: `my"table` becomes `"my""table"`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a SQL string literal for DuckDB: `it's` becomes `'it''s'`. A NUL character cannot appear in SQL text
 * (DuckDB reads it as a C string and would cut the statement there), so a value holding one becomes
 * `('a' || chr(0) || 'b')`.
 */
export function quoteLiteral(value: string): string {
  const quote = (part: string): string => `'${part.replace(/'/g, "''")}'`;
  return value.includes('\0') ? `(${value.split('\0').map(quote).join(' || chr(0) || ')})` : quote(value);
}

/** Renders a JS value as a DuckDB literal (strings, numbers, booleans, null, arrays, plain objects as structs). */
export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quoteLiteral(value);
  if (Array.isArray(value)) return `[${value.map(sqlValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${quoteLiteral(k)}: ${sqlValue(v)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot render ${typeof value} as SQL`);
}

/** Removes trailing semicolons and white space from one statement. */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/u, '');
}
