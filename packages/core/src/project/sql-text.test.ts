// Unit tests of SQL as text: literals and comments blanked, keywords and statements found outside them.
import { describe, expect, it } from 'vitest';
import { blankLiterals, firstKeyword, keywordOffset, textStatementCount } from './sql-text.ts';

describe('blankLiterals', () => {
  it('blanks comments, strings, quoted identifiers and dollar quotes, keeping length and line breaks', () => {
    const sql = "SELECT 'a;''b', E'c\\'d;', \"PIVOT;\", $$e;f$$, $t$ g; $t$ -- PIVOT;\n/* x /* ; */ ; */ 1";
    const blank = blankLiterals(sql);
    expect(blank).toHaveLength(sql.length);
    expect(blank).not.toMatch(/[;]|PIVOT/);
    expect(blank.split('\n')).toHaveLength(2);
    expect(blank).toMatch(/^SELECT '\s+', E'\s+', "\s+", \$\$\s+\$\$, \$t\$\s+\$t\$\s+\n\s+ 1$/);
  });

  it('leaves $1 parameters and identifiers ending in e alone', () => {
    expect(blankLiterals("SELECT $1, some'x'")).toBe("SELECT $1, some' '");
  });
});

describe('keywords and statements', () => {
  it('finds the first keyword after comments', () => {
    expect(firstKeyword('-- note\n/* c */ summarize orders')).toBe('SUMMARIZE');
    expect(firstKeyword('PIVOT_WIDER t ON c')).toBe('PIVOT_WIDER');
    expect(firstKeyword("'x'")).toBeUndefined();
  });

  it('counts statements between semicolons outside literals', () => {
    expect(textStatementCount("SELECT ';'; ; -- ;\n")).toBe(1);
    expect(textStatementCount('SELECT 1; PIVOT t ON c USING sum(x);')).toBe(2);
  });

  it('finds a keyword as a word, not inside names or literals', () => {
    expect(keywordOffset("SELECT 'PIVOT', pivot_x FROM t PIVOT", ['PIVOT'])).toBe(31);
    expect(keywordOffset('SELECT * FROM (describe t)', ['DESCRIBE', 'SHOW'])).toBe(15);
    expect(keywordOffset('SELECT 1', ['SHOW'])).toBeUndefined();
  });
});
