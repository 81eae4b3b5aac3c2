import { describe, expect, it } from 'vitest';
import { parseMetricSource } from './metric-loader.ts';

const valid = `metric_name: revenue
description: Revenue
owner: finance
schedule: "0 6 * * *"
tags: [finance]
sql: |
  SELECT sum(amount) AS revenue
  FROM orders
`;

describe('parseMetricSource', () => {
  it('loads a valid complete metric', () => {
    const r = parseMetricSource(valid, 'metrics/revenue.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.metric).toMatchObject({ name: 'revenue', owner: 'finance', tags: ['finance'], materialized: 'table', sqlLine: 7, nameLine: 1 });
    expect(r.metric?.sql).toBe('SELECT sum(amount) AS revenue\nFROM orders\n');
  });

  it('reports each missing required field', () => {
    const r = parseMetricSource('metric_name: x\nsql: SELECT 1\n', 'm.yaml');
    expect(r.metric).toBeUndefined();
    const missing = r.diagnostics.filter((d) => d.code === 'SCHEMA_MISSING_FIELD').map((d) => d.message);
    expect(missing).toEqual([
      'missing required field "description"',
      'missing required field "owner"',
      'missing required field "schedule"',
    ]);
  });

  it('gives the line and column of a YAML syntax error', () => {
    const r = parseMetricSource('metric_name: x\ndescription: "unclosed\nowner: me\n', 'm.yaml');
    expect(r.name).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'm.yaml', line: 2 });
    expect(r.diagnostics[0]?.frame).toContain('> 2 |');
  });

  it('warns about unknown keys with a did-you-mean on the key line', () => {
    const r = parseMetricSource(valid.replace('description:', 'descripton:'), 'm.yaml');
    const warning = r.diagnostics.find((d) => d.code === 'SCHEMA_UNKNOWN_KEY');
    expect(warning).toMatchObject({ severity: 'warning', line: 2, column: 1 });
    expect(warning?.message).toContain('did you mean "description"');
  });

  it('rejects invalid names, with the line of the value', () => {
    for (const name of ['my-metric', '1st', 'x; DROP TABLE orders; --', 'a'.repeat(64)]) {
      const r = parseMetricSource(valid.replace('metric_name: revenue', `metric_name: ${JSON.stringify(name)}`), 'm.yaml');
      expect(r.metric, name).toBeUndefined();
      expect(r.diagnostics[0], name).toMatchObject({ code: 'SCHEMA_INVALID', line: 1 });
    }
  });

  it('checks the schedule with a cron parser', () => {
    const said: Record<string, string> = {
      'every day': 'schedule "every day" has 2 fields; a cron expression has 5',
      '61 * * * *': 'schedule field minute is 61, but minutes go from 0 to 59',
      '0 6 * *': 'schedule "0 6 * *" has 4 fields',
      '0 0 6 * * *': 'schedule "0 0 6 * * *" has 6 fields',
    };
    for (const [schedule, message] of Object.entries(said)) {
      const r = parseMetricSource(valid.replace('"0 6 * * *"', JSON.stringify(schedule)), 'm.yaml');
      expect(r.diagnostics.map((d) => d.message).join(), schedule).toContain(message);
      expect(r.diagnostics[0]?.line).toBe(4);
    }
    expect(parseMetricSource(valid.replace('"0 6 * * *"', '"@daily"'), 'm.yaml').metric).toBeDefined();
  });

  it('reports wrong types', () => {
    const r = parseMetricSource(valid.replace('tags: [finance]', 'tags: notalist'), 'm.yaml');
    expect(r.diagnostics[0]).toMatchObject({ code: 'SCHEMA_INVALID', line: 5, message: 'tags must be a list of strings; found the text "notalist"' });
  });

  it('accepts a UTF-8 BOM and CRLF line ends', () => {
    const r = parseMetricSource(`\uFEFF${valid.replace(/\n/g, '\r\n')}`, 'm.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.metric?.name).toBe('revenue');
  });

  it('says what is wrong with an empty file, a list and a scalar', () => {
    expect(parseMetricSource('', 'm.yaml').diagnostics[0]?.code).toBe('METRIC_EMPTY');
    expect(parseMetricSource('- a\n- b\n', 'm.yaml').diagnostics[0]?.code).toBe('METRIC_NOT_MAP');
    expect(parseMetricSource('just text\n', 'm.yaml').diagnostics[0]?.code).toBe('METRIC_NOT_MAP');
  });
});
