// The row comparison of unit tests: multiset or in order, tolerance, NULLs, and the aligned diff.
import { describe, expect, it } from 'vitest';
import { compareRows, formatRowDiff, sameValue } from './compare-rows.ts';

const any = { order: 'any' as const, tolerance: 1e-9, columns: ['k', 'v'] };

describe('compareRows', () => {
  it('matches a multiset: order does not matter, duplicates count', () => {
    expect(compareRows([{ k: 'a', v: 1 }, { k: 'b', v: 2 }], [{ k: 'b', v: 2 }, { k: 'a', v: 1 }], any)).toEqual({ missing: [], unexpected: [] });
    expect(compareRows([{ k: 'a', v: 1 }, { k: 'a', v: 1 }], [{ k: 'a', v: 1 }], any)).toEqual({ missing: [{ k: 'a', v: 1 }], unexpected: [] });
    expect(compareRows([], [{ k: 'a', v: 1 }], any)).toEqual({ missing: [], unexpected: [{ k: 'a', v: 1 }] });
  });

  it('pairs exact values first, so a tolerance cannot take another row’s match', () => {
    const wide = { ...any, tolerance: 0.5 };
    expect(compareRows([{ k: 'a', v: 1.2 }, { k: 'a', v: 1 }], [{ k: 'a', v: 1 }, { k: 'a', v: 1.2 }], wide)).toEqual({ missing: [], unexpected: [] });
  });

  it('in exact order compares row i with row i', () => {
    const exact = { ...any, order: 'exact' as const };
    expect(compareRows([{ k: 'a', v: 1 }, { k: 'b', v: 2 }], [{ k: 'a', v: 1 }, { k: 'b', v: 2 }], exact)).toEqual({ missing: [], unexpected: [] });
    expect(compareRows([{ k: 'a', v: 1 }, { k: 'b', v: 2 }], [{ k: 'b', v: 2 }, { k: 'a', v: 1 }], exact).missing).toHaveLength(2);
    expect(compareRows([{ k: 'a', v: 1 }], [{ k: 'a', v: 1 }, { k: 'c', v: 3 }], exact)).toEqual({ missing: [], unexpected: [{ k: 'c', v: 3 }] });
  });

  it('compares only the listed columns', () => {
    expect(compareRows([{ k: 'a' }], [{ k: 'a', v: 9 }], { ...any, columns: ['k'] })).toEqual({ missing: [], unexpected: [] });
  });
});

describe('sameValue', () => {
  it('uses a relative tolerance, with 1 as the smallest scale', () => {
    expect(sameValue(0.1 + 0.2, 0.3, 1e-9)).toBe(true);
    expect(sameValue(1e12, 1e12 + 1, 1e-9)).toBe(true);
    expect(sameValue(1e12, 1e12 + 10_000, 1e-9)).toBe(false);
    expect(sameValue(0, 1e-10, 1e-9)).toBe(true);
    expect(sameValue(0, 1e-6, 1e-9)).toBe(false);
  });

  it('NULL equals only NULL; text compares exactly; NaN equals NaN', () => {
    expect(sameValue(null, null, 0)).toBe(true);
    expect(sameValue(null, '', 0)).toBe(false);
    expect(sameValue('1', 1, 1)).toBe(false);
    expect(sameValue('a', 'A', 0)).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN, 0)).toBe(true);
  });
});

describe('formatRowDiff', () => {
  it('aligns the columns, marks missing rows - and unexpected rows +, and writes NULL', () => {
    expect(formatRowDiff({ missing: [{ name: 'a long name', n: 1 }], unexpected: [{ name: 'b', n: null }] }, ['name', 'n'])).toBe(
      ['    name         n', '  - a long name  1', '  + b            NULL'].join('\n'),
    );
  });
});
