import { describe, expect, it } from 'vitest';
import { cellText, textTable } from './text-table.ts';

describe('cellText', () => {
  it('shows a DATE as a date and a timestamp without the ISO T and Z', () => {
    expect(cellText(new Date('2026-01-05T00:00:00Z'), 'DATE')).toBe('2026-01-05');
    expect(cellText(new Date('2026-01-05T00:00:00Z'), 'TIMESTAMP')).toBe('2026-01-05 00:00:00');
    expect(cellText(new Date('2026-01-05T14:30:05.250Z'), 'TIMESTAMP')).toBe('2026-01-05 14:30:05.250');
    expect(cellText(new Date('2026-01-05T14:30:00Z'), 'TIMESTAMP WITH TIME ZONE')).toBe('2026-01-05 14:30:00 UTC');
    expect(cellText(new Date('2026-01-05T00:00:00Z'))).toBe('2026-01-05');
    expect(cellText(new Date('2026-01-05T06:00:00Z'))).toBe('2026-01-05 06:00:00');
  });

  it('rounds doubles for reading and leaves exact numbers alone', () => {
    expect(cellText(0.1 + 0.2, 'DOUBLE')).toBe('0.3');
    expect(cellText(1234.56789, 'DOUBLE')).toBe('1234.5679');
    expect(cellText(2 / 3)).toBe('0.6667');
    expect(cellText(0.000123456, 'DOUBLE')).toBe('0.0001235');
    expect(cellText(42.5, 'DOUBLE')).toBe('42.5');
    expect(cellText(7, 'DOUBLE')).toBe('7');
    expect(cellText(12.34567, 'DECIMAL(10,5)')).toBe('12.34567');
    expect(cellText(Number.NaN, 'DOUBLE')).toBe('NaN');
  });

  it('dims NULL, cuts long text and keeps other values as text', () => {
    expect(cellText(null)).toContain('NULL');
    expect(cellText('x'.repeat(50))).toHaveLength(40);
    expect(cellText({ a: 1n })).toBe('{"a":"1"}');
  });
});

describe('textTable', () => {
  it('aligns columns to the longest cell, long names included', () => {
    const long = 'a_metric_name_of_forty_three_characters_xyz';
    const [header, ...rows] = textTable(['metric', 'rows'], [[long, '1'], ['b', '22']]).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(header).toBe(`metric${' '.repeat(long.length - 6 + 2)}rows`);
    expect(rows).toEqual([`${long}  1`, `b${' '.repeat(long.length - 1 + 2)}22`]);
  });
});
