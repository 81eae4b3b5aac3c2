// How a snapshot table's columns follow a metric whose columns changed: added, kept, widened, or a type that cannot be.

/** What a build's columns mean for the snapshot table that holds the earlier versions. */
export interface ColumnPlan {
  /** Columns the metric gained: added to the snapshot table, NULL in older versions. */
  added: Array<{ name: string; type: string }>;
  /** Columns the metric lost: they stay in the snapshot table, NULL in newer versions. */
  removed: string[];
  /** Columns whose snapshot type is widened to hold the new values without loss. */
  widened: Array<{ name: string; from: string; to: string }>;
  /** Columns whose new type neither holds nor fits in the snapshot's: the build cannot be kept as a version. */
  conflicts: Array<{ name: string; from: string; to: string }>;
}

const SIGNED = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const UNSIGNED = ['UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];
/** Decimal digits each integer type needs. */
const DIGITS: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19, HUGEINT: 39, UTINYINT: 3, USMALLINT: 5, UINTEGER: 10, UBIGINT: 20, UHUGEINT: 39 };
/** Integer types whose every value a FLOAT (24-bit mantissa) or DOUBLE (53-bit) holds exactly. */
const IN_FLOAT = new Set(['TINYINT', 'SMALLINT', 'UTINYINT', 'USMALLINT']);
const IN_DOUBLE = new Set([...IN_FLOAT, 'INTEGER', 'UINTEGER']);

function decimal(type: string): { p: number; s: number } | undefined {
  const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  return m ? { p: Number(m[1]), s: Number(m[2]) } : undefined;
}

/**
 * True when every value of type `from` converts to type `to` without loss (`INTEGER` → `BIGINT`, `FLOAT` → `DOUBLE`,
 * `DECIMAL(10,2)` → `DECIMAL(18,3)`), as DuckDB writes the types in information_schema.
 */
export function fitsLosslessly(from: string, to: string): boolean {
  const a = from.toUpperCase();
  const b = to.toUpperCase();
  if (a === b) return true;
  const rank = (ladder: string[], t: string): number => ladder.indexOf(t);
  if (rank(SIGNED, a) >= 0 && rank(SIGNED, b) >= 0) return rank(SIGNED, a) <= rank(SIGNED, b);
  if (rank(UNSIGNED, a) >= 0 && rank(UNSIGNED, b) >= 0) return rank(UNSIGNED, a) <= rank(UNSIGNED, b);
  if (rank(UNSIGNED, a) >= 0 && rank(SIGNED, b) >= 0) return rank(UNSIGNED, a) < rank(SIGNED, b);
  if (a === 'FLOAT' && b === 'DOUBLE') return true;
  if (b === 'FLOAT') return IN_FLOAT.has(a);
  if (b === 'DOUBLE') return IN_DOUBLE.has(a);
  const db = decimal(b);
  if (db) {
    const da = decimal(a);
    if (da) return db.s >= da.s && db.p - db.s >= da.p - da.s;
    return DIGITS[a] !== undefined && db.p - db.s >= DIGITS[a]!;
  }
  return false;
}

/** Compares the snapshot table's columns (without `_valid_from` / `_valid_to`) with a build's, by case-insensitive name. */
export function planColumns(snapshot: ReadonlyArray<{ name: string; type: string }>, build: ReadonlyArray<{ name: string; type: string }>): ColumnPlan {
  const plan: ColumnPlan = { added: [], removed: [], widened: [], conflicts: [] };
  const before = new Map(snapshot.map((c) => [c.name.toLowerCase(), c]));
  const after = new Set(build.map((c) => c.name.toLowerCase()));
  for (const c of build) {
    const old = before.get(c.name.toLowerCase());
    if (!old) plan.added.push({ name: c.name, type: c.type });
    else if (fitsLosslessly(c.type, old.type)) continue;
    else if (fitsLosslessly(old.type, c.type)) plan.widened.push({ name: old.name, from: old.type, to: c.type });
    else plan.conflicts.push({ name: old.name, from: old.type, to: c.type });
  }
  for (const c of snapshot) if (!after.has(c.name.toLowerCase())) plan.removed.push(c.name);
  return plan;
}
