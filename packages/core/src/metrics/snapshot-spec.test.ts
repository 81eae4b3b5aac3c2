import { describe, expect, it } from 'vitest';
import { parseMetricSource } from './metric-loader.ts';
import { fitsLosslessly, planColumns } from '../snapshots/column-widening.ts';

const metric = (snapshot: string): string => `metric_name: ltv\ndescription: d\nowner: o\nschedule: "@daily"\n${snapshot}\nsql: SELECT 1 AS id\n`;

describe('snapshot: in a metric file', () => {
  it('true, and { key, keep }', () => {
    expect(parseMetricSource(metric('snapshot: true'), 'm.yaml').metric?.snapshot).toEqual({ key: [] });
    expect(parseMetricSource(metric('snapshot: false'), 'm.yaml').metric?.snapshot).toBeUndefined();
    const keyed = parseMetricSource(metric('snapshot:\n  key: [customer_unique_id]\n  keep: 400 days'), 'm.yaml');
    expect(keyed.diagnostics).toEqual([]);
    expect(keyed.metric?.snapshot).toEqual({ key: ['customer_unique_id'], keep: '400 days' });
  });

  it('an unknown sub-key gets a did-you-mean at its line; a bad keep, a bad value and a view are errors at theirs', () => {
    const typo = parseMetricSource(metric('snapshot:\n  kee: [id]'), 'm.yaml');
    expect(typo.diagnostics).toMatchObject([{ severity: 'error', code: 'SCHEMA_INVALID', message: 'unknown key "snapshot.kee" (did you mean "key"?)', hint: 'rename it to "key"', line: 6, column: 3 }]);
    const keep = parseMetricSource(metric('snapshot:\n  keep: forever'), 'm.yaml');
    expect(keep.diagnostics).toMatchObject([{ code: 'SCHEMA_INVALID', message: expect.stringContaining('snapshot.keep must be a number and a unit'), line: 6 }]);
    const bad = parseMetricSource(metric('snapshot: yes please'), 'm.yaml');
    expect(bad.diagnostics[0]).toMatchObject({ code: 'SCHEMA_INVALID', line: 5, message: expect.stringContaining('snapshot must be true, or a mapping') });
    const view = parseMetricSource(metric('materialized: view\nsnapshot: true'), 'm.yaml');
    expect(view.diagnostics).toMatchObject([{ message: 'snapshot needs a table: a view has no published rows to keep', line: 6 }]);
  });
});

describe('snapshot columns', () => {
  it('widens without loss only', () => {
    expect(fitsLosslessly('INTEGER', 'BIGINT')).toBe(true);
    expect(fitsLosslessly('BIGINT', 'INTEGER')).toBe(false);
    expect(fitsLosslessly('INTEGER', 'DOUBLE')).toBe(true);
    expect(fitsLosslessly('BIGINT', 'DOUBLE')).toBe(false);
    expect(fitsLosslessly('UINTEGER', 'BIGINT')).toBe(true);
    expect(fitsLosslessly('DECIMAL(10,2)', 'DECIMAL(18,3)')).toBe(true);
    expect(fitsLosslessly('DECIMAL(18,3)', 'DECIMAL(10,2)')).toBe(false);
    expect(fitsLosslessly('INTEGER', 'DECIMAL(12,2)')).toBe(true);
    expect(fitsLosslessly('INTEGER', 'VARCHAR')).toBe(false);
  });

  it('plans added, removed, widened and conflicting columns; a narrower new type fits the old one', () => {
    expect(planColumns(
      [{ name: 'id', type: 'BIGINT' }, { name: 'a', type: 'INTEGER' }, { name: 'gone', type: 'VARCHAR' }, { name: 'd', type: 'DATE' }],
      [{ name: 'ID', type: 'INTEGER' }, { name: 'a', type: 'BIGINT' }, { name: 'new', type: 'VARCHAR' }, { name: 'd', type: 'VARCHAR' }],
    )).toEqual({
      added: [{ name: 'new', type: 'VARCHAR' }],
      removed: ['gone'],
      widened: [{ name: 'a', from: 'INTEGER', to: 'BIGINT' }],
      conflicts: [{ name: 'd', from: 'DATE', to: 'VARCHAR' }],
    });
  });
});
