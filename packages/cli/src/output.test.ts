import { describe, expect, it } from 'vitest';
import { count, plural } from './output.ts';

describe('count', () => {
  it('groups whole numbers by thousands exactly as en-US does', () => {
    const samples = [0, 1, 12, 123, 1_234, 12_345, 123_456, 1_234_567, 1_000, 999_999, 1_000_000, -1, -1_234, -123_456_789, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (let i = 1; i < 16; i++) samples.push(10 ** i - 1, 10 ** i, 7 * 10 ** i + 3);
    for (const n of samples) expect(count(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('keeps en-US formatting for numbers that are not safe whole numbers', () => {
    for (const n of [1234.5678, -0.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(count(n)).toBe(n.toLocaleString('en-US'));
  });

  it('is empty for no number, and -0 reads as 0', () => {
    expect(count(undefined)).toBe('');
    expect(count(-0)).toBe('0');
    expect(plural(1_204, 'table')).toBe('1,204 tables');
    expect(plural(1, 'metric')).toBe('1 metric');
  });
});
