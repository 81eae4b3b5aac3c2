import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { BIN, runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

type Json = Record<string, any>;
const json = (stdout: string): Json => JSON.parse(stdout) as Json;

describe('duckmetrics init', () => {
  it('writes a project in which setup, validate and run succeed as it stands', async () => {
    project = await projectDir({});
    const init = await runCli(['init', 'my-metrics'], project.dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Created a duckmetrics project in my-metrics/');
    expect(init.stdout).toContain('duckmetrics build');
    const dir = project.path('my-metrics');
    for (const file of ['metrics.config.ts', 'data/orders.csv', 'metrics/customer_revenue.yaml', 'metrics/top_customers.yaml', '.gitignore', 'README.md', 'package.json']) {
      expect(existsSync(project.path('my-metrics', file)), file).toBe(true);
    }
    expect(readFileSync(project.path('my-metrics', 'metrics.config.ts'), 'utf8')).toContain("import { defineConfig } from '@duckmetrics/core'");
    expect(readFileSync(project.path('my-metrics', 'metrics/top_customers.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/@duckmetrics\/core\/metric\.schema\.json\n/);
    expect(readFileSync(project.path('my-metrics', '.gitignore'), 'utf8')).toMatch(/^metrics\.duckdb$/m);

    expect((await runCli(['setup'], dir)).code).toBe(0);
    const validate = await runCli(['validate'], dir);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('2 valid');
    const run = json((await runCli(['run', '--json'], dir)).stdout);
    expect(run.ok).toBe(true);
    expect(run.metrics.map((m: Json) => [m.name, m.status, m.rows])).toEqual([
      ['customer_revenue', 'success', 5],
      ['top_customers', 'success', 3],
    ]);
    // one metric builds on the other
    const show = json((await runCli(['show', 'top_customers', '--json'], dir)).stdout);
    expect(show.metric.upstream).toEqual(['customer_revenue']);
  });

  it('refuses to overwrite existing files without --force, naming them (exit 2)', async () => {
    project = await projectDir({ 'README.md': '# mine\n', 'metrics/customer_revenue.yaml': 'keep me\n', 'package.json': '{ "name": "mine" }\n' });
    const refused = await runCli(['init'], project.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error USAGE /);
    expect(refused.stderr).toContain('metrics/customer_revenue.yaml, README.md');
    expect(refused.stderr).not.toContain('package.json');
    expect(readFileSync(project.path('README.md'), 'utf8')).toBe('# mine\n');
    expect(existsSync(project.path('metrics.config.ts'))).toBe(false);
    expect(json((await runCli(['init', '--json'], project.dir)).stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', hint: expect.stringContaining('--force') } });

    const forced = json((await runCli(['init', '--force', '--json'], project.dir)).stdout);
    expect(forced).toMatchObject({ ok: true, kept: ['package.json'] });
    expect(forced.created).toContain('README.md');
    expect(readFileSync(project.path('package.json'), 'utf8')).toBe('{ "name": "mine" }\n');
    expect(readFileSync(project.path('metrics/customer_revenue.yaml'), 'utf8')).toContain('metric_name: customer_revenue');
  });

  it('counts another config file as a conflict', async () => {
    project = await projectDir({ 'metrics.config.json': '{}\n' });
    const refused = await runCli(['init'], project.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('metrics.config.json');
  });
});

describe('duckmetrics new', () => {
  it('writes a metric file that validates, prints its path, and refuses to overwrite', async () => {
    project = await projectDir({ 'data/orders.csv': 'id\n1\n', 'metrics/a.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT 1 AS x' }) });
    const created = await runCli(['new', 'weekly_revenue'], project.dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('metrics/weekly_revenue.yaml\n');
    const text = readFileSync(project.path('metrics/weekly_revenue.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/@duckmetrics\/core\/metric\.schema\.json\nmetric_name: weekly_revenue\n/);
    await runCli(['setup'], project.dir);
    const validate = json((await runCli(['validate', '--json'], project.dir)).stdout);
    expect(validate.ok).toBe(true);
    expect(validate.metrics.map((m: Json) => m.name)).toContain('weekly_revenue');

    const again = await runCli(['new', 'weekly_revenue'], project.dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('metrics/weekly_revenue.yaml already exists');
    const taken = await runCli(['new', 'Revenue'], project.dir);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('a metric named revenue already exists in metrics/a.yaml');
    const viaJson = json((await runCli(['new', 'daily_orders', '--json'], project.dir)).stdout);
    expect(viaJson).toMatchObject({ ok: true, name: 'daily_orders', file: 'metrics/daily_orders.yaml' });
  });

  it('rejects names that are not table names, with the rule in the hint', async () => {
    project = await projectDir({});
    for (const bad of ['9lives', 'weekly-revenue', 'a.b', '__duckmetrics_staging_x', 'x'.repeat(64)]) {
      const r = await runCli(['new', bad], project.dir);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('USAGE');
      expect(r.stderr, bad).toContain('letters, digits and _');
    }
    expect(existsSync(project.path('metrics'))).toBe(false);
    expect((await runCli(['new'], project.dir)).code).toBe(2);
  });
});

const files = {
  'data/orders.csv': 'order_id,customer_id,amount\n1,10,5.5\n2,10,4.5\n3,11,7\n',
  'data/customers.csv': 'customer_id,name\n10,ana\n11,ben\n',
};

describe('duckmetrics list and show', () => {
  it('list --json: owner, schedule, tags, last run and next due time (DUCKMETRICS_NOW)', async () => {
    project = await projectDir({
      ...files,
      'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', owner: 'finance-team', schedule: '0 6 * * *', tags: ['finance'], sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
      'metrics/top.yaml': metricYaml({ metric_name: 'top', schedule: '30 * * * *', sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
    });
    await runCli(['setup'], project.dir);
    const before = json((await runCli(['list', '--json'], project.dir)).stdout);
    expect(before.metrics.map((m: Json) => [m.name, m.built, m.lastRun, m.nextDue])).toEqual([
      ['revenue', false, null, null],
      ['top', false, null, null],
    ]);
    const at = { DUCKMETRICS_NOW: '2026-03-01T07:00:00Z' };
    expect((await runCli(['run'], project.dir, at)).code).toBe(0);
    const list = json((await runCli(['list', '--json'], project.dir, at)).stdout);
    expect(list.timezone).toBe('UTC');
    expect(list.metrics.map((m: Json) => [m.name, m.owner, m.schedule, m.tags, m.status, m.lastRun.status, m.lastRun.rows, m.nextDue])).toEqual([
      ['revenue', 'finance-team', '0 6 * * *', ['finance'], 'valid', 'success', 2, '2026-03-02T06:00:00.000Z'],
      ['top', 'tests', '30 * * * *', [], 'valid', 'success', 1, '2026-03-01T07:30:00.000Z'],
    ]);
    const human = await runCli(['list'], project.dir, at);
    expect(human.code).toBe(0);
    // The table (rows, built when) apart from what the last run did with it.
    expect(human.stdout).toMatch(/revenue\s+finance-team\s+0 6 \* \* \*\s+finance\s+2\s+\d+ s ago\s+built\s+2026-03-02 06:00 UTC \(in 23 h\)/);
    // A run that leaves a metric out says nothing about it: top keeps its rows, build time and last run.
    expect((await runCli(['run', '-s', 'revenue', '--full-refresh'], project.dir, at)).code).toBe(0);
    const after = json((await runCli(['list', '--json'], project.dir, at)).stdout);
    const top = after.metrics.find((m: Json) => m.name === 'top');
    expect([top.lastBuild.rows, top.lastRun.status, top.lastRun.reason]).toEqual([1, 'success', null]);
    expect((await runCli(['list'], project.dir, at)).stdout).toMatch(/^top\s+tests\s+30 \* \* \* \*\s+1\s+\d+ s ago\s+built/m);
  });

  it('show --json: definition, lineage, columns with types, last runs and the first rows (--limit)', async () => {
    project = await projectDir({
      ...files,
      'metrics/revenue.yaml': `${metricYaml({ metric_name: 'revenue', sql: 'SELECT o.customer_id, c.name, sum(amount) AS revenue FROM orders o JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY 1' })}columns:\n  - name: customer_id\n    description: the customer\n    checks: [not_null]\n`,
      'metrics/top.yaml': metricYaml({ metric_name: 'top', sql: 'SELECT * FROM revenue ORDER BY revenue DESC LIMIT 1' }),
    });
    await runCli(['setup'], project.dir);
    await runCli(['run'], project.dir);
    const show = json((await runCli(['show', 'revenue', '--limit', '1', '--json'], project.dir)).stdout);
    expect(show.ok).toBe(true);
    expect(show.metric).toMatchObject({ name: 'revenue', file: 'metrics/revenue.yaml', owner: 'tests', upstream: ['orders', 'customers'], downstream: ['top'], built: true });
    expect(show.metric.columns).toEqual([
      { name: 'customer_id', type: 'BIGINT', checks: ['not_null(customer_id)'], description: 'the customer' },
      { name: 'name', type: 'VARCHAR', checks: [] },
      { name: 'revenue', type: 'DOUBLE', checks: [] },
    ]);
    expect(show.rowCount).toBe(2);
    expect(show.rows).toEqual([{ customer_id: 10, name: 'ana', revenue: 10 }]);
    expect(show.runs.map((r: Json) => [r.status, r.rows])).toEqual([['success', 2]]);
    const human = await runCli(['show', 'revenue'], project.dir);
    expect(human.stdout).toMatch(/upstream\s+orders \(source\), customers \(source\)/);
    expect(human.stdout).toContain('First 2 of 2 rows');

    const unknown = await runCli(['show', 'revenu'], project.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error USAGE no metric or source named "revenu"');
    expect(unknown.stderr).toContain('did you mean revenue?');
    expect(json((await runCli(['show', 'ordrs', '--json'], project.dir)).stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', hint: 'did you mean orders?' } });
    for (const limit of ['-1', 'ten', '1.5']) expect((await runCli(['show', 'revenue', '--limit', limit], project.dir)).code, limit).toBe(2);
  });
});

describe('sources in list and show', () => {
  it('show <source>: its file, rows, load time, columns and types, readers and first rows; --json too', async () => {
    project = await projectDir({
      ...files,
      'data/events.csv': 'id,happened_on,amount,note\n1,2026-01-05,1.5,a\n2,2026-01-06,2.25,\n',
      'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }),
    });
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    const shown = json((await runCli(['show', 'events', '--json'], project.dir)).stdout);
    expect(shown).toMatchObject({ ok: true, source: { name: 'events', file: 'data/events.csv', rows: 2, downstream: [] } });
    expect(shown.source.columns.map((c: Json) => [c.name, c.type])).toEqual([['id', 'BIGINT'], ['happened_on', 'DATE'], ['amount', 'DOUBLE'], ['note', 'VARCHAR']]);
    expect(shown.rows).toHaveLength(2);
    expect(json((await runCli(['show', 'orders', '--limit', '1', '--json'], project.dir)).stdout)).toMatchObject({ source: { name: 'orders', rows: 3, downstream: ['revenue'] }, rows: [{ order_id: 1 }] });

    const human = await runCli(['show', 'ORDERS'], project.dir);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^orders\s+source$/m);
    expect(human.stdout).toMatch(/file\s+data\/orders\.csv/);
    expect(human.stdout).toMatch(/rows\s+3/);
    expect(human.stdout).toMatch(/read by\s+revenue/);
    expect(human.stdout).toMatch(/customer_id\s+BIGINT/);
    expect(human.stdout).toContain('First 3 of 3 rows');
  });

  it('list shows the sources in their own section, and list --json has them', async () => {
    project = await projectDir({ ...files, 'metrics/revenue.yaml': metricYaml({ metric_name: 'revenue', sql: 'SELECT customer_id, sum(amount) AS revenue FROM orders GROUP BY ALL' }) });
    const empty = await runCli(['list'], project.dir);
    expect(empty.stdout).toContain('no sources loaded yet');
    await runCli(['setup'], project.dir);
    const listed = json((await runCli(['list', '--json'], project.dir)).stdout);
    expect(listed.sources.map((s: Json) => [s.name, s.file, s.rows, s.columns, s.downstream])).toEqual([
      ['customers', 'data/customers.csv', 2, 2, []],
      ['orders', 'data/orders.csv', 3, 3, ['revenue']],
    ]);
    const human = await runCli(['list'], project.dir);
    expect(human.stdout).toMatch(/^source\s+file\s+rows\s+columns\s+loaded\s+read by$/m);
    expect(human.stdout).toMatch(/^orders\s+data\/orders\.csv\s+3\s+3\s+\d+ s ago\s+revenue$/m);
    expect(human.stdout).toContain('2 sources;');
    expect(human.stdout).toContain('1 metric;');
  });
});

describe('duckmetrics run --due (fake clock: DUCKMETRICS_NOW)', () => {
  it('builds exactly the metrics whose schedule came due since their last build', async () => {
    project = await projectDir({
      ...files,
      'metrics/daily.yaml': metricYaml({ metric_name: 'daily', schedule: '0 6 * * *', sql: 'SELECT count(*) AS n FROM orders' }),
      'metrics/after_daily.yaml': metricYaml({ metric_name: 'after_daily', schedule: '30 6 * * *', sql: 'SELECT n * 2 AS n2 FROM daily' }),
      'metrics/hourly.yaml': metricYaml({ metric_name: 'hourly', schedule: '0 * * * *', sql: 'SELECT sum(amount) AS total FROM orders' }),
      'metrics/mondays.yaml': metricYaml({ metric_name: 'mondays', schedule: '0 6 * * 1', sql: 'SELECT max(amount) AS top FROM orders' }),
      'metrics/weekly_customers.yaml': metricYaml({ metric_name: 'weekly_customers', schedule: '0 6 * * 0', sql: 'SELECT count(*) AS n FROM customers' }),
    });
    await runCli(['setup'], project.dir);
    const statuses = (stdout: string): string[][] => json(stdout).metrics.map((m: Json) => [m.name, m.status, (m.reason ?? '').replace(/\(next .*\)/, '(next …)')]);
    // Monday 2026-03-02 05:00 UTC: everything is built (never built = due)
    const first = await runCli(['run', '--due', '--json'], project.dir, { DUCKMETRICS_NOW: '2026-03-02T05:00:00Z' });
    expect(first.code).toBe(0);
    expect(statuses(first.stdout).every(([, status]) => status === 'success')).toBe(true);

    // 05:30: nothing came due yet
    const early = await runCli(['run', '--due', '--json'], project.dir, { DUCKMETRICS_NOW: '2026-03-02T05:30:00Z' });
    expect(statuses(early.stdout).map(([, s, r]) => [s, r])).toEqual(Array(5).fill(['skipped', 'not due (next …)']));
    expect(json(early.stdout).metrics.find((m: Json) => m.name === 'hourly').reason).toBe('not due (next 2026-03-02T06:00:00.000Z)');

    // New data, then 06:10: daily, hourly and mondays came due; after_daily (06:30) did not, though its upstream
    // changed; weekly_customers (Sundays) did not.
    await project.write({ 'data/orders.csv': `${files['data/orders.csv']}4,11,100\n` });
    await runCli(['setup'], project.dir);
    const due = await runCli(['run', '--due', '--json'], project.dir, { DUCKMETRICS_NOW: '2026-03-02T06:10:00Z' });
    expect(due.code).toBe(0);
    expect(statuses(due.stdout)).toEqual([
      ['daily', 'success', ''],
      ['after_daily', 'skipped', 'not due (next …)'],
      ['hourly', 'success', ''],
      ['mondays', 'success', ''],
      ['weekly_customers', 'skipped', 'not due (next …)'],
    ]);
    const human = await runCli(['run', '--due'], project.dir, { DUCKMETRICS_NOW: '2026-03-02T06:40:00Z' });
    expect(human.stdout).toMatch(/✓ after_daily\s+1 row/);
    expect(human.stdout).toMatch(/– daily\s+skipped: not due \(next 2026-03-03 06:00 UTC\)/);
    expect(human.stdout).toContain('1 built, 0 failed, 4 skipped (4 not due)');

    const bad = await runCli(['run', '--due'], project.dir, { DUCKMETRICS_NOW: 'yesterday' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DUCKMETRICS_NOW must be an ISO time');
  });
});

const hasScript = ((): boolean => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('progress', () => {
  it('prints plain lines, one per metric, when stdout is not a terminal', async () => {
    project = await projectDir({ ...files, 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }), 'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'SELECT * FROM a' }) });
    const setup = await runCli(['setup'], project.dir);
    expect(setup.stdout).toMatch(/^✓ customers\s+2 rows.*data\/customers\.csv\n✓ orders\s+3 rows.*data\/orders\.csv\nLoaded 2 sources/);
    const run = await runCli(['run'], project.dir);
    expect(run.stdout).toMatch(/^✓ a\s+1 row\s+\d+ ms\n✓ b\s+1 row\s+\d+ ms\n\nDone in/);
    expect(run.stdout).not.toMatch(/queued|running|\x1b/);
    const quiet = await runCli(['run', '--json', '--full-refresh'], project.dir);
    expect(() => JSON.parse(quiet.stdout)).not.toThrow();
  });

  it.skipIf(!hasScript)('draws a live list on a terminal (under script), and plain lines with --no-progress', async () => {
    project = await projectDir({ ...files, 'metrics/a.yaml': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }), 'metrics/b.yaml': metricYaml({ metric_name: 'b', sql: 'SELECT * FROM a' }) });
    await runCli(['setup'], project.dir);
    const onTerminal = (args: string): string =>
      execFileSync('script', ['-qec', `stty rows 24 cols 100; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}`, '/dev/null'], {
        cwd: project!.dir,
        env: { ...process.env, NO_COLOR: '1', CI: '', FORCE_COLOR: '' },
        encoding: 'utf8',
      });
    const live = onTerminal('run --full-refresh');
    expect(live).toContain('validating 2 metric files');
    expect(live).toMatch(/· b\s+queued/);
    expect(live).toMatch(/\d\/2 done/);
    expect(live).toMatch(/✓ a\s+1 row/);
    expect(live).toContain('Done in');
    const plain = onTerminal('run --full-refresh --no-progress');
    expect(plain).toMatch(/✓ a\s+1 row/);
    expect(plain).not.toMatch(/queued|validating/);
  });
});
