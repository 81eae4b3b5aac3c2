// The allow-list against DuckDB's own catalogue and docs/security.md: every function classified, the page equal to the file.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ALLOWED_FUNCTION_NAMES, ALLOWED_FUNCTIONS, ALLOWED_TABLE_FUNCTION_NAMES, ALLOWED_TABLE_FUNCTIONS, REFUSED_FUNCTIONS, refusedGroup } from './allowed-functions.ts';

/** Names DuckDB's binder handles itself, not in `duckdb_functions()` as scalars: `SELECT unnest([1, 2])`. */
const BINDER_SPECIALS = new Set(['unnest', 'unlist']);

async function catalogue(): Promise<Array<{ name: string; type: string }>> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll("SELECT DISTINCT lower(function_name) AS name, function_type AS type FROM duckdb_functions() WHERE function_type <> 'pragma'");
    connection.closeSync();
    return reader.getRowObjectsJson() as Array<{ name: string; type: string }>;
  } finally {
    instance.closeSync();
  }
}

const isTable = (type: string): boolean => type === 'table' || type === 'table_macro';

describe('the allow-list', () => {
  it("classifies every function of DuckDB's catalogue: allowed, or refused with a reason", async () => {
    const unclassified = (await catalogue())
      .filter(({ name, type }) => !(isTable(type) ? ALLOWED_TABLE_FUNCTION_NAMES : ALLOWED_FUNCTION_NAMES).has(name) && !refusedGroup(name))
      .map(({ name, type }) => `${name} (${type})`);
    // A DuckDB upgrade that adds functions lands here: classify each one in allowed-functions.ts.
    expect(unclassified).toEqual([]);
  });

  it("lists only functions DuckDB has, of the kind they are listed as", async () => {
    const rows = await catalogue();
    const scalars = new Set(rows.filter((r) => !isTable(r.type)).map((r) => r.name));
    const tables = new Set(rows.filter((r) => isTable(r.type)).map((r) => r.name));
    expect([...ALLOWED_FUNCTION_NAMES].filter((n) => !scalars.has(n) && !BINDER_SPECIALS.has(n))).toEqual([]);
    expect(ALLOWED_TABLE_FUNCTIONS.filter((n) => !tables.has(n))).toEqual([]);
    // Refused by name and allowed only where DuckDB has a table function of the same name (`repeat`, `histogram`).
    const both = [...ALLOWED_FUNCTION_NAMES].filter((n) => REFUSED_FUNCTIONS.some((g) => g.names.includes(n)));
    expect(both.filter((n) => !tables.has(n))).toEqual([]);
    expect(ALLOWED_TABLE_FUNCTIONS.filter((n) => refusedGroup(n))).toEqual([]);
  });

  it('holds lower-case names, each in one category', () => {
    const all = Object.values(ALLOWED_FUNCTIONS).flatMap((s) => s.trim().split(/\s+/));
    expect(all.filter((n) => n !== n.toLowerCase())).toEqual([]);
    expect(all.length).toBe(ALLOWED_FUNCTION_NAMES.size);
  });

  it('refuses the families that change or reveal the instance, whatever their case', () => {
    for (const name of ['read_csv', 'Read_Parquet', 'glob', 'sniff_csv', 'enable_logging', 'ENABLE_PROFILING', 'write_log', 'duckdb_secrets', 'duckdb_extensions', 'duckdb_settings', 'current_setting', 'query', 'query_table', 'pragma_version', 'icu_collate_de', '__internal_compress_string_utinyint']) {
      expect(refusedGroup(name), name).toBeDefined();
      expect(ALLOWED_FUNCTION_NAMES.has(name.toLowerCase()), name).toBe(false);
    }
    expect(refusedGroup('pg_typeof')).toBeDefined();
    expect(ALLOWED_FUNCTION_NAMES.has('pg_typeof')).toBe(true);
  });

  it('is the list docs/security.md shows, category by category', () => {
    const page = readFileSync(new URL('../../../../docs/security.md', import.meta.url), 'utf8');
    const section = /<!-- allowed-functions:start -->\n([\s\S]*?)<!-- allowed-functions:end -->/.exec(page)?.[1] ?? '';
    const documented = Object.fromEntries(
      section.trim().split('\n').map((line) => {
        const match = /^- \*\*(.+?)\*\*(?: \(.*?\))?: (.*)$/.exec(line);
        return [match?.[1] ?? line, [...(match?.[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1])];
      }),
    );
    const expected = {
      'table functions': [...ALLOWED_TABLE_FUNCTIONS],
      ...Object.fromEntries(Object.entries(ALLOWED_FUNCTIONS).map(([category, names]) => [category.replace(/_/g, ' '), names.trim().split(/\s+/)])),
    };
    expect(documented).toEqual(expected);
    expect(page).toContain(`(${ALLOWED_FUNCTION_NAMES.size} functions and ${ALLOWED_TABLE_FUNCTIONS.length} table functions;`);
  });
});
