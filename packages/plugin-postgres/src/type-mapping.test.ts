import { describe, expect, it } from 'vitest';
import { numericType, planColumn } from './type-mapping.ts';

/** PostgreSQL's typmod of numeric(p,s). */
const numeric = (p: number, s: number): number => ((p << 16) | (s & 0x7ff)) + 4;

describe('type mapping', () => {
  it('numeric(p,s) is DECIMAL(p,s) up to 38 digits, DOUBLE when unconstrained, wider or of negative scale', () => {
    expect(numericType(numeric(12, 2))).toBe('DECIMAL(12,2)');
    expect(numericType(numeric(38, 38))).toBe('DECIMAL(38,38)');
    expect(numericType(-1)).toBe('DOUBLE');
    expect(numericType(numeric(39, 2))).toBe('DOUBLE');
    expect(numericType(numeric(5, -2))).toBe('DOUBLE');
  });

  it('plans scalars as typed CSV columns, bytea as hex, json as JSON, arrays as JSON lists, the rest as VARCHAR', () => {
    const plan = (typname: string, extra: Partial<Parameters<typeof planColumn>[0]> = {}) =>
      planColumn({ name: 'c', typname, typtype: 'b', typmod: -1, formatted: typname, ...extra });
    expect(plan('timestamptz')).toMatchObject({ duckType: 'TIMESTAMPTZ', readAs: 'TIMESTAMPTZ' });
    expect(plan('timestamptz').pgExpression('q."c"')).toBe('q."c"');
    const bytea = plan('bytea');
    expect([bytea.duckType, bytea.pgExpression('q."c"'), bytea.duckExpression('c0')]).toEqual(['BLOB', `encode(q."c", 'hex')`, 'unhex("c0")']);
    expect(plan('jsonb')).toMatchObject({ duckType: 'JSON', readAs: 'VARCHAR' });
    expect(plan('mood', { typtype: 'e' }).duckType).toBe('VARCHAR');
    expect(plan('inet').duckType).toBe('VARCHAR');
    const tags = plan('_text', { element: { typname: 'text', typtype: 'b' } });
    expect([tags.duckType, tags.pgExpression('q."c"'), tags.duckExpression('c1')]).toEqual(['VARCHAR[]', 'array_to_json(q."c")::text', 'CAST(CAST("c1" AS JSON) AS VARCHAR[])']);
    expect(plan('_mood', { element: { typname: 'mood', typtype: 'e' } }).duckType).toBe('VARCHAR[]');
    expect(plan('_bytea', { element: { typname: 'bytea', typtype: 'b' } }).duckType).toBe('VARCHAR[]');
  });
});
