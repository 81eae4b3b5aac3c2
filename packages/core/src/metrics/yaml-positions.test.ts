import { describe, expect, it } from 'vitest';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { scalarLocator } from './yaml-positions.ts';

function locate(text: string, needle: string): { line: number; column: number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const node = doc.get('sql', true);
  if (!isScalar(node)) throw new Error('no sql');
  return scalarLocator(text, node, lines)(String(node.value).indexOf(needle));
}

describe('scalarLocator', () => {
  it('maps a literal block', () => {
    expect(locate('a: 1\nsql: |\n  SELECT x\n    , bad\n  FROM t\n', 'bad')).toEqual({ line: 4, column: 7 });
  });
  it('maps a double-quoted value', () => {
    expect(locate('sql: "SELECT bad FROM t"\n', 'bad')).toEqual({ line: 1, column: 14 });
  });
  it('maps a folded plain value over lines', () => {
    expect(locate('sql: SELECT a\n  FROM bad\n', 'bad')).toEqual({ line: 2, column: 8 });
  });
  it('maps a single-quoted value with CRLF', () => {
    expect(locate("x: 1\r\nsql: 'SELECT 1\r\n  FROM bad'\r\n", 'bad')).toEqual({ line: 3, column: 8 });
  });
});
