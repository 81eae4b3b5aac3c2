// Quoting for PostgreSQL: identifiers and literals from the config are quoted here before they reach the server.

/** Quotes an identifier for PostgreSQL: `my"table` becomes `"my""table"`. */
export function quotePgIdent(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot hold a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a string literal for PostgreSQL with `standard_conforming_strings = on` (set for every session this
 * plugin opens): `it's` becomes `'it''s'`; backslashes are plain characters.
 */
export function quotePgLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a PostgreSQL string cannot hold a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A table named in `tables`: `public.customers`, `customers` (schema `public`) or `"Sales"."Orders"`. */
export interface RelationName {
  schema: string;
  table: string;
}

/**
 * Splits `schema.table` on the dot outside double quotes; quoted parts keep their case, unquoted parts are
 * folded to lower case as PostgreSQL does. Returns undefined for anything else (three parts, an empty part).
 *
 * @example
 * ```ts
 * parseRelationName('public.customers'); // { schema: 'public', table: 'customers' }
 * parseRelationName('"Sales".Orders');   // { schema: 'Sales', table: 'orders' }
 * ```
 */
export function parseRelationName(text: string): RelationName | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([^".\s]+))\s*(\.|$)/y;
  let match: RegExpExecArray | null;
  let at = 0;
  let ended = false;
  while (!ended && at < text.length && (match = pattern.exec(text)) !== null) {
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase());
    at = pattern.lastIndex;
    ended = match[3] === '';
  }
  if (!ended || at !== text.length || parts.length === 0 || parts.length > 2) return undefined;
  return parts.length === 1 ? { schema: 'public', table: parts[0]! } : { schema: parts[0]!, table: parts[1]! };
}

/** `"schema"."table"`. */
export function qualifiedName(relation: RelationName): string {
  return `${quotePgIdent(relation.schema)}.${quotePgIdent(relation.table)}`;
}
