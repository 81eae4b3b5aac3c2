// The project cache in the state schema: each metric file as last read (by its bytes) and the key of its last valid validation.
import type { Check } from '../checks/checks.ts';
import type { Database } from '../database/database.ts';
import { quoteLiteral } from '../database/sql.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { ParsedSql } from '../project/sql-parse.ts';
import { STATE_SCHEMA } from './schema.ts';

/** One metric file as the cache holds it. */
export interface CachedFile {
  /** Path relative to the project root. */
  file: string;
  /** sha256 of the file's bytes (and the tool version): the file is read again when it differs. */
  contentHash: string;
  /** The metric read from those bytes, without its absolute path. */
  metric: Omit<Metric, 'path'>;
  /** DuckDB's parse of its SQL and checks. */
  parsed: ParsedSql;
  /** Warnings about the file itself. */
  warnings: Diagnostic[];
  /** Key of the last validation that found the metric valid (content, tool, config, shapes it read), or null. */
  validationKey: string | null;
  /** Warnings that validation gave. */
  validationWarnings: Diagnostic[];
}

interface StoredParsed extends Omit<ParsedSql, 'checks'> {
  /** The parse of each check with SQL, by its index in `metric.checks`. */
  checks: Array<[number, ParsedSql]>;
}

const TABLE = `${STATE_SCHEMA}.project_cache`;

/** Every cached file, by relative path. A cache that cannot be read is empty (it is only a cache). */
export async function readProjectCache(db: Database): Promise<Map<string, CachedFile>> {
  const rows = await db.all<{ file: string; entry: string }>(`SELECT file, entry FROM ${TABLE}`).catch(() => []);
  const out = new Map<string, CachedFile>();
  for (const row of rows) {
    try {
      const stored = JSON.parse(row.entry) as Omit<CachedFile, 'parsed'> & { parsed: StoredParsed };
      out.set(row.file, { ...stored, parsed: { ...stored.parsed, checks: restoreChecks(stored.metric.checks, stored.parsed.checks) } });
    } catch {
      // A row this version cannot read is left to be replaced.
    }
  }
  return out;
}

/** Replaces the rows of `changed` files and drops those of files that are gone, in one statement. */
export async function writeProjectCache(db: Database, changed: readonly CachedFile[], removed: readonly string[]): Promise<void> {
  if (changed.length === 0 && removed.length === 0) return;
  const files = [...changed.map((c) => c.file), ...removed];
  const statements = [`DELETE FROM ${TABLE} WHERE file IN (${files.map(quoteLiteral).join(', ')})`];
  if (changed.length > 0) {
    const values = changed.map((c) => `(${quoteLiteral(c.file)}, ${quoteLiteral(JSON.stringify({ ...c, parsed: storeParsed(c.metric.checks, c.parsed) }))})`);
    statements.push(`INSERT INTO ${TABLE} (file, entry) VALUES ${values.join(', ')}`);
  }
  await db.run(statements.join(';\n'));
}

/** The parse as stored: without the AST itself (its hash is what skip-unchanged compares), nor those of checks. */
function storeParsed(checks: readonly Check[], parsed: ParsedSql): StoredParsed {
  const list: Array<[number, ParsedSql]> = [];
  checks.forEach((check, i) => {
    const p = parsed.checks.get(check);
    if (p) list.push([i, lean(p)]);
  });
  return { ...lean(parsed), checks: list };
}

function lean(parsed: ParsedSql): ParsedSql {
  const { normalized: _ast, ...rest } = parsed;
  return rest;
}

function restoreChecks(checks: readonly Check[], stored: Array<[number, ParsedSql]>): Map<Check, ParsedSql> {
  return new Map(stored.filter(([i]) => checks[i] !== undefined).map(([i, p]) => [checks[i]!, { ...p, checks: new Map() }]));
}
