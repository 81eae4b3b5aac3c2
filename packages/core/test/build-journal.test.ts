// The build journal: a run journals an intent for each metric it is about to build, keeps the records of the builds
// that finish and folds them into `_duckmetrics.metrics` at its end; what a killed run left is folded on open, and the
// metrics it may have rebuilt are rebuilt. Builds without an audit publish in one statement, atomically too.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import type { Engine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = project = undefined;
});

/** Runs `sql` on the project database with bare DuckDB (no engine open) and returns the rows as JSON values. */
async function raw(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const files = {
  'data/orders.csv': 'order_id,amount\n1,5\n2,7\n',
  'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT sum(amount) AS total FROM orders' }),
  'metrics/doubled.yaml': metricYaml({ metric_name: 'doubled', sql: 'SELECT total * 2 AS doubled FROM total' }),
};

/** A project with `total` and `doubled` loaded and run once, the engine closed; the database file's path. */
async function builtProject(extra: Record<string, string> = {}): Promise<string> {
  project = await projectDir({ ...files, ...extra });
  engine = createEngine({ cwd: project.dir });
  expect((await engine.load()).ok).toBe(true);
  expect((await engine.run()).ok).toBe(true);
  await engine.close();
  engine = undefined;
  return project.path('metrics.duckdb');
}

const journalSize = 'SELECT count(*)::INTEGER AS n FROM _duckmetrics.build_journal';
const recordOf = (key: string): string => `SELECT input_hash, rows::INTEGER AS rows, epoch_ms(built_at) AS at FROM _duckmetrics.metrics WHERE key = '${key}'`;
/** What a run killed during its builds leaves: its row still `running`, and an intent for each metric it was building. */
const killedRun = (...keys: string[]): string => `INSERT INTO _duckmetrics.runs (run_id, command, status, started_at) VALUES ('killed', 'run', 'running', TIMESTAMP '2026-01-01 00:00:00');
  ${keys.map((k) => `INSERT INTO _duckmetrics.build_journal VALUES ('${k}', NULL)`).join(';\n')}`;

/** Moves the record of `key` from `metrics` back into the journal, as a run that never reached its end leaves it. */
const unfold = (key: string): string => `INSERT INTO _duckmetrics.build_journal
  SELECT key, json_object('name', name, 'file', file, 'materialized', materialized, 'rows', rows, 'definition_hash', definition_hash,
    'input_hash', input_hash, 'tool_version', tool_version, 'upstream', upstream, 'built_at', strftime(built_at, '%Y-%m-%dT%H:%M:%S.%gZ'))::VARCHAR
  FROM _duckmetrics.metrics WHERE key = '${key}';
  UPDATE _duckmetrics.metrics SET input_hash = 'an older build', rows = 99 WHERE key = '${key}'`;

describe('the build journal', () => {
  it('is empty after a run, every build recorded in _duckmetrics.metrics with its hashes and rows', async () => {
    const db = await builtProject();
    expect(await raw(db, journalSize)).toEqual([{ n: 0 }]);
    const records = await raw(db, 'SELECT key, name, file, materialized, rows::INTEGER AS rows, length(input_hash) > 10 AS hashed, upstream, built_at IS NOT NULL AS dated FROM _duckmetrics.metrics ORDER BY key');
    expect(records).toEqual([
      { key: 'doubled', name: 'doubled', file: 'metrics/doubled.yaml', materialized: 'table', rows: 1, hashed: true, upstream: expect.stringContaining('total'), dated: true },
      { key: 'total', name: 'total', file: 'metrics/total.yaml', materialized: 'table', rows: 1, hashed: true, upstream: expect.stringContaining('orders'), dated: true },
    ]);
  });

  it('an entry a run left behind is the record a later run trusts, and that run folds it', async () => {
    const db = await builtProject();
    const before = await raw(db, recordOf('total'));
    await raw(db, unfold('total'));
    // Without the journal, `total` would look built from other inputs and be rebuilt, and `doubled` after it.
    engine = createEngine({ cwd: project!.dir });
    const again = await engine.run();
    expect(again.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([['total', 'skipped', 'up to date'], ['doubled', 'skipped', 'up to date']]);
    await engine.close();
    engine = undefined;
    expect(await raw(db, journalSize)).toEqual([{ n: 0 }]);
    expect(await raw(db, recordOf('total'))).toEqual(before);
  });

  it('is folded when the engine opens after a run that did not finish, and read as it is by a read-only engine', async () => {
    const db = await builtProject();
    await raw(db, `${unfold('total')}; INSERT INTO _duckmetrics.runs (run_id, command, status, started_at) VALUES ('killed', 'run', 'running', TIMESTAMP '2026-01-01 00:00:00')`);

    const reader = createEngine({ cwd: project!.dir, readOnly: true });
    const catalog = await reader.catalog();
    expect(catalog.metrics.find((m) => m.name === 'total')?.lastBuild?.rows).toBe(1);
    await reader.close();
    expect(await raw(db, journalSize)).toEqual([{ n: 1 }]);

    engine = createEngine({ cwd: project!.dir });
    expect((await engine.validate()).ok).toBe(true);
    await engine.close();
    engine = undefined;
    expect(await raw(db, "SELECT status FROM _duckmetrics.runs WHERE run_id = 'killed'")).toEqual([{ status: 'interrupted' }]);
    expect(await raw(db, journalSize)).toEqual([{ n: 0 }]);
    expect(await raw(db, "SELECT rows::INTEGER AS rows, input_hash <> 'an older build' AS current FROM _duckmetrics.metrics WHERE key = 'total'")).toEqual([{ rows: 1, current: true }]);
  });

  it('a metric a killed run was building keeps its record without an input hash, and the next run rebuilds it', async () => {
    const db = await builtProject();
    const before = await raw(db, recordOf('total'));
    await raw(db, killedRun('total'));

    // Read only, nothing is folded, and the intent already counts: the record is there, its input hash unknown.
    const reader = createEngine({ cwd: project!.dir, readOnly: true });
    expect((await reader.catalog()).metrics.find((m) => m.name === 'total')?.lastBuild?.rows).toBe(1);
    await reader.close();
    expect(await raw(db, journalSize)).toEqual([{ n: 1 }]);

    engine = createEngine({ cwd: project!.dir });
    expect((await engine.validate()).ok).toBe(true);
    await engine.close();
    engine = undefined;
    expect(await raw(db, journalSize)).toEqual([{ n: 0 }]);
    expect(await raw(db, recordOf('total'))).toEqual([{ ...before[0], input_hash: null }]);
    expect(await raw(db, recordOf('doubled'))).toHaveLength(1);

    engine = createEngine({ cwd: project!.dir });
    const again = await engine.run();
    expect(again.metrics.find((m) => m.name === 'total')).toMatchObject({ status: 'success' });
    await engine.close();
    engine = undefined;
    expect(await raw(db, "SELECT input_hash = (SELECT input_hash FROM _duckmetrics.metric_runs WHERE name = 'total' AND status = 'success' ORDER BY finished_at DESC LIMIT 1) AS same FROM _duckmetrics.metrics WHERE key = 'total'")).toEqual([{ same: true }]);
  });

  it('clean forgets journaled builds and intents too', async () => {
    const db = await builtProject();
    await raw(db, `${unfold('total')}; INSERT INTO _duckmetrics.build_journal VALUES ('doubled', NULL)`);
    engine = createEngine({ cwd: project!.dir });
    await engine.clean();
    await engine.close();
    engine = undefined;
    expect(await raw(db, 'SELECT (SELECT count(*) FROM _duckmetrics.build_journal)::INTEGER AS journal, (SELECT count(*) FROM _duckmetrics.metrics)::INTEGER AS metrics')).toEqual([{ journal: 0, metrics: 0 }]);
  });
});

// SQL that plans (so it validates) and fails only when it runs: each kind of runtime error a build can meet.
const failsAtRuntime = [
  ['a cast', "SELECT CAST(amount::VARCHAR || 'x' AS INTEGER) AS total FROM orders"],
  ['an overflow', 'SELECT (amount * 100)::TINYINT AS total FROM orders'],
  ['a date', "SELECT year(CAST('2026-13-' || amount::VARCHAR AS DATE)) AS total FROM orders"],
  ['malformed JSON', "SELECT json_extract('{' || amount::VARCHAR, '$.a')::INTEGER AS total FROM orders"],
  ['a late row', "SELECT CASE WHEN order_id = 2 THEN CAST('two' AS INTEGER) ELSE amount END AS total FROM orders"],
] as const;

describe('a build that fails as it runs', () => {
  for (const keepPreviousVersions of [false, true]) {
    for (const [kind, sql] of failsAtRuntime) {
      it(`(${kind}, ${keepPreviousVersions ? 'kept' : 'no'} previous versions) keeps the table, its record, and skip-unchanged`, async () => {
        const db = await builtProject({ 'metrics.config.json': JSON.stringify({ keepPreviousVersions }) });
        const table = 'SELECT * FROM total';
        const before = { rows: await raw(db, table), record: await raw(db, recordOf('total')) };

        await project!.write({ 'metrics/total.yaml': metricYaml({ metric_name: 'total', sql }) });
        engine = createEngine({ cwd: project!.dir });
        const failed = await engine.run();
        expect(failed.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([['total', 'failed', 'build failed'], ['doubled', 'skipped', 'upstream failed: total']]);
        expect(failed.metrics[0]!.error).toMatchObject({ file: 'metrics/total.yaml', hint: expect.stringContaining('previous table') });
        await engine.close();
        engine = undefined;
        expect(await raw(db, table)).toEqual(before.rows);
        expect(await raw(db, recordOf('total'))).toEqual(before.record);
        expect(await raw(db, journalSize)).toEqual([{ n: 0 }]);
        expect(await raw(db, "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '%staging%'")).toEqual([{ n: 0 }]);

        // The file put back, table and record agree again: nothing to build.
        await project!.write({ 'metrics/total.yaml': files['metrics/total.yaml'] });
        engine = createEngine({ cwd: project!.dir });
        const back = await engine.run();
        expect(back.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([['total', 'skipped', 'up to date'], ['doubled', 'skipped', 'up to date']]);
      });
    }
  }
});
