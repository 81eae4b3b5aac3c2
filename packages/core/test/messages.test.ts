// The messages analysts hit first say the fix in plain words: unquoted cron, tabs, indentation, a colon in a value,
// dbt's {{ ref() }}, `sql: >` with comments, a cron field out of range, `daily`, a table that is not there yet.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Diagnostic, Engine } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

/** A metric file from its lines; `{schedule}` etc. are left to each case. */
const file = (...lines: string[]): string => `${lines.join('\n')}\n`;
const base = { name: 'metric_name: m', description: 'description: d', owner: 'owner: o', schedule: 'schedule: "@daily"', sql: 'sql: SELECT 1 AS x' };
const metric = (over: Partial<typeof base> = {}): string => file(...Object.values({ ...base, ...over }));

async function diagnosticsOf(text: string): Promise<Diagnostic[]> {
  project = await projectDir({ 'data/orders.csv': 'id,amount\n1,2\n', 'metrics/m.yaml': text });
  engine = createEngine({ cwd: project.dir });
  await engine.load();
  const [m] = (await engine.validate()).metrics;
  await engine.close();
  engine = undefined;
  await project.cleanup();
  project = undefined;
  return [...m!.errors, ...m!.warnings];
}

describe('YAML, in plain words', () => {
  it.each([
    ['schedule: * * * * *', 4, 'schedule: "* * * * *"'],
    ['schedule: */5 * * * *', 4, 'schedule: "*/5 * * * *"'],
    ['schedule: *', 4, 'schedule: "*"'],
  ])('an unquoted cron (%s) is one error: quote it', async (line, at, fix) => {
    const found = await diagnosticsOf(metric({ schedule: line }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'YAML_SYNTAX', line: at, hint: `write ${fix}` });
    expect(found[0]!.message).toMatch(/starts with "\*", which YAML reads as an alias: quote it/);
  });

  it.each([
    ['owner: &team', 'an anchor'],
    ['owner: *team', 'an alias'],
  ])('any value starting with * or & (%s) says to quote it', async (line, what) => {
    const [d] = await diagnosticsOf(metric({ owner: line }));
    expect(d!.message).toContain(what);
    expect(d!.hint).toMatch(/^write owner: "/);
  });

  it.each([
    ['the SQL of a block', metric({ sql: 'sql: |\n\tSELECT 1 AS x' }), 6],
    ['a key', metric({ owner: '\towner: o' }), 3],
    ['a second SQL line', metric({ sql: 'sql: |\n  SELECT 1 AS x\n\t, 2 AS y' }), 7],
  ])('a tab in the indentation of %s says to use spaces, and the frame shows it', async (_what, text, line) => {
    const [d] = await diagnosticsOf(text);
    expect(d).toMatchObject({ code: 'YAML_SYNTAX', line });
    expect(d!.message).toMatch(/indented with a tab \(shown as →\)/);
    expect(d!.frame).toContain('→');
  });

  it.each([
    ['owner', 2],
    ['schedule', 4],
    ['sql', 2],
  ])('a top-level key (%s) indented by %d spaces says to unindent it', async (key, spaces) => {
    const over = { [key]: `${' '.repeat(spaces)}${base[key as keyof typeof base]}` };
    const found = await diagnosticsOf(metric(over));
    const d = found.find((x) => x.code === 'YAML_SYNTAX')!;
    expect(d.message).toContain(`"${key}" is indented by ${spaces} spaces`);
    expect(d.hint).toBe(`remove the spaces before ${key}:`);
  });

  it.each([
    ['description: revenue: total', 'description: "revenue: total"'],
    ['owner: team: growth', 'owner: "team: growth"'],
  ])('a colon inside a value (%s) says to quote the value', async (line, fix) => {
    const [d] = await diagnosticsOf(metric({ [line.split(':')[0]!]: line }));
    expect(d!.message).toMatch(/holds ": ", which YAML reads as the start of another key: quote the value/);
    expect(d!.hint).toBe(`write ${fix}`);
  });
});

describe('SQL habits from elsewhere', () => {
  it.each([
    ["SELECT * FROM {{ ref('orders') }}", 'FROM orders'],
    ['SELECT * FROM {{ref("orders")}}', 'FROM orders'],
    ["SELECT * FROM {{ source('shop', 'orders') }}", 'FROM orders'],
  ])('%s says dependencies are inferred: write the table name', async (sql, fix) => {
    const found = await diagnosticsOf(metric({ sql: `sql: "${sql.replace(/"/g, '\\"')}"` }));
    const d = found.find((x) => x.code === 'SQL_PARSER')!;
    expect(d.message).toMatch(/template syntax from dbt; duckmetrics runs the SQL as written and finds dependencies by itself/);
    expect(d.hint).toContain(fix);
  });

  it('braces inside a string do not get that advice', async () => {
    const found = await diagnosticsOf(metric({ sql: "sql: SELECT '{{ x }}' AS t FROM orders" }));
    expect(found).toEqual([]);
  });

  it('sql: > with a -- comment warns that the comment swallows the rest, and suggests |', async () => {
    const found = await diagnosticsOf(metric({ sql: 'sql: >\n  SELECT id -- the id\n  FROM orders' }));
    const d = found.find((x) => x.code === 'SQL_FOLDED_COMMENT')!;
    expect(d).toMatchObject({ severity: 'warning', line: 5 });
    expect(d.hint).toBe('write sql: | instead, which keeps each line as written');
    expect(await diagnosticsOf(metric({ sql: 'sql: >\n  SELECT id\n  FROM orders' }))).toEqual([]);
  });

  it('a table that is neither a source nor a metric suggests duckmetrics new, or a CSV in data/', async () => {
    const [d] = await diagnosticsOf(metric({ sql: 'sql: SELECT * FROM weekly_revenue' }));
    expect(d).toMatchObject({ code: 'TABLE_UNKNOWN' });
    expect(d!.hint).toBe('if it is data, put weekly_revenue.csv in data/ and run `duckmetrics build`; if it is a metric not written yet, start it with `duckmetrics new weekly_revenue`');
  });
});

describe('schedules', () => {
  it.each([
    ['"61 * * * *"', 'schedule field minute is 61, but minutes go from 0 to 59'],
    ['"0 24 * * *"', 'schedule field hour is 24, but hours go from 0 to 23'],
    ['"0 6 32 * *"', 'schedule field day-of-month is 32, but days of the month go from 1 to 31'],
    ['"0 6 1 13 *"', 'schedule field month is 13, but months go from 1 to 12'],
    ['"0 6 * * 8"', 'schedule field day-of-week is 8, but days of the week (0 and 7 are Sunday) go from 0 to 7'],
    ['"0 6 1-40 * *"', 'schedule field day-of-month is 40, but days of the month go from 1 to 31'],
    ['"0 6 * *"', 'schedule "0 6 * *" has 4 fields; a cron expression has 5: minute hour day-of-month month day-of-week (e.g. "0 6 * * *")'],
    ['daily', 'schedule "daily" is not a cron expression; did you mean "@daily"?'],
    ['Weekly', 'schedule "Weekly" is not a cron expression; did you mean "@weekly"?'],
    ['"@dailyy"', 'schedule "@dailyy" is not a nickname croner knows; use @hourly, @daily, @weekly, @monthly or @yearly'],
  ])('schedule: %s', async (value, message) => {
    const [d] = await diagnosticsOf(metric({ schedule: `schedule: ${value}` }));
    expect(d).toMatchObject({ code: 'SCHEMA_INVALID', line: 4, message });
  });
});
