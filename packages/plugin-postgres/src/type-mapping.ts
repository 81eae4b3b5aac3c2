// How each PostgreSQL column type becomes a DuckDB column: what PostgreSQL writes into the CSV stream, what DuckDB
// reads it as, and the cast that turns it into the final type. Pure: docs/postgres.md has the same table.
import { quoteIdent } from '@duckmetrics/core';

/** A column as PostgreSQL's catalog describes it (domains already resolved to their base type). */
export interface PgColumn {
  name: string;
  /** `pg_type.typname` of the (base) type: `int4`, `numeric`, `_text` for `text[]`. */
  typname: string;
  /** `pg_type.typtype`: `b` base, `e` enum, `c` composite, `r` range, `m` multirange. */
  typtype: string;
  /** The type modifier (`atttypmod`): precision and scale of a numeric, -1 when none. */
  typmod: number;
  /** `format_type(oid, typmod)`: `numeric(12,2)`, `timestamp with time zone`, `text[]`. */
  formatted: string;
  /** For an array: its element type. */
  element?: { typname: string; typtype: string };
}

/** One column's trip: the PostgreSQL select expression, the DuckDB read type, and the DuckDB expression. */
export interface ColumnPlan {
  name: string;
  /** PostgreSQL's name of the type, for messages and the docs. */
  pgType: string;
  /** The column type of the DuckDB table. */
  duckType: string;
  /** What PostgreSQL selects into the COPY stream for this column, given the column reference. */
  pgExpression: (source: string) => string;
  /** What `read_csv` reads the CSV field as. */
  readAs: string;
  /** The DuckDB expression over the CSV column `csvName` that yields `duckType`. */
  duckExpression: (csvName: string) => string;
}

/** The widest DuckDB DECIMAL. */
export const DUCKDB_MAX_DECIMAL_WIDTH = 38;

const SCALARS: Record<string, string> = {
  int2: 'SMALLINT', int4: 'INTEGER', int8: 'BIGINT', oid: 'UBIGINT',
  float4: 'FLOAT', float8: 'DOUBLE',
  bool: 'BOOLEAN',
  text: 'VARCHAR', varchar: 'VARCHAR', bpchar: 'VARCHAR', name: 'VARCHAR', citext: 'VARCHAR', char: 'VARCHAR',
  date: 'DATE', time: 'TIME', timetz: 'TIMETZ', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ', interval: 'INTERVAL',
  uuid: 'UUID', json: 'JSON', jsonb: 'JSON',
};

/**
 * `numeric(p,s)` with 0 ≤ s ≤ p ≤ 38 is DuckDB `DECIMAL(p,s)`; an unconstrained `numeric`, a wider one, or one
 * with a negative scale has no DuckDB DECIMAL and becomes `DOUBLE` (about 15 significant digits).
 */
export function numericType(typmod: number): string {
  if (typmod < 4) return 'DOUBLE';
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = ((((typmod - 4) & 0x7ff) ^ 1024) - 1024);
  return precision <= DUCKDB_MAX_DECIMAL_WIDTH && scale >= 0 && scale <= precision ? `DECIMAL(${precision},${scale})` : 'DOUBLE';
}

/** The DuckDB type of a scalar (non-array) PostgreSQL type; everything unknown is VARCHAR (its text output). */
function scalarType(typname: string, typtype: string, typmod: number): string {
  if (typname === 'numeric') return numericType(typmod);
  if (typname === 'bytea') return 'BLOB';
  if (typtype === 'e') return 'VARCHAR';
  return SCALARS[typname] ?? 'VARCHAR';
}

/**
 * Plans one column. Scalars travel as PostgreSQL's text output and are read by DuckDB straight into their type;
 * `bytea` travels as hex (`unhex`); arrays travel as JSON (`array_to_json`) and are cast to a DuckDB LIST of the
 * element's type (bytea elements stay hex text: VARCHAR[]).
 *
 * @example
 * ```ts
 * planColumn({ name: 'amount', typname: 'numeric', typtype: 'b', typmod: 786438, formatted: 'numeric(12,2)' }).duckType; // 'DECIMAL(12,2)'
 * ```
 */
export function planColumn(column: PgColumn): ColumnPlan {
  const base = { name: column.name, pgType: column.formatted };
  if (column.element !== undefined) {
    const element = column.element.typname === 'bytea' ? 'VARCHAR' : scalarType(column.element.typname, column.element.typtype, -1);
    const duckType = `${element}[]`;
    return { ...base, duckType, pgExpression: (source) => `array_to_json(${source})::text`, readAs: 'VARCHAR', duckExpression: (c) => `CAST(CAST(${quoteIdent(c)} AS JSON) AS ${duckType})` };
  }
  const duckType = scalarType(column.typname, column.typtype, column.typmod);
  if (duckType === 'BLOB') return { ...base, duckType, pgExpression: (source) => `encode(${source}, 'hex')`, readAs: 'VARCHAR', duckExpression: (c) => `unhex(${quoteIdent(c)})` };
  if (duckType === 'JSON') return { ...base, duckType, pgExpression: (source) => source, readAs: 'VARCHAR', duckExpression: (c) => `CAST(${quoteIdent(c)} AS JSON)` };
  return { ...base, duckType, pgExpression: (source) => source, readAs: duckType, duckExpression: (c) => quoteIdent(c) };
}
