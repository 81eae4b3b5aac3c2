// The build journal: a run records each build in its own transaction as a journal row and folds the journal into
// `_duckmetrics.metrics` at its end; a journal a run left behind is read as the newest record, and folded on open.
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

/** Moves the record of `key` from `metrics` back into the journal, as a run that never reached its end leaves it. */
const unfold = (key: string): string => `INSERT INTO _duckmetrics.build_journal
  SELECT key, json_object('name', name, 'file', file, 'materialized', materialized, 'rows', rows, 'definition_hash', definition_hash,
    'input_hash', input_hash, 'tool_version', tool_version, 'upstream', upstream, 'built_at', strftime(built_at, '%Y-%m-%dT%H:%M:%S.%gZ'))::VARCHAR
  FROM _duckmetrics.metrics WHERE key = '${key}';
  UPDATE _duckmetrics.metrics SET input_hash = 'an older build', rows = 99 WHERE key = '${key}'`;

describe('the build journal', () => {
  it('is empty after a run, every build recorded in _duckmetrics.metrics with its hashes and rows', async () => {
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir });
    expect((await engine.load()).ok).toBe(true);
    expect((await engine.run()).ok).toBe(true);
    await engine.close();
    engine = undefined;
    const db = project.path('metrics.duckdb');
    expect(await raw(db, 'SELECT count(*)::INTEGER AS n FROM _duckmetrics.build_journal')).toEqual([{ n: 0 }]);
    const records = await raw(db, 'SELECT key, name, file, materialized, rows::INTEGER AS rows, length(input_hash) > 10 AS hashed, upstream, built_at IS NOT NULL AS dated FROM _duckmetrics.metrics ORDER BY key');
    expect(records).toEqual([
      { key: 'doubled', name: 'doubled', file: 'metrics/doubled.yaml', materialized: 'table', rows: 1, hashed: true, upstream: expect.stringContaining('total'), dated: true },
      { key: 'total', name: 'total', file: 'metrics/total.yaml', materialized: 'table', rows: 1, hashed: true, upstream: expect.stringContaining('orders'), dated: true },
    ]);
  });

  it('an entry a run left behind is the record a later run trusts, and that run folds it', async () => {
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir });
    await engine.load();
    await engine.run();
    await engine.close();
    const db = project.path('metrics.duckdb');
    const before = await raw(db, "SELECT input_hash, rows::INTEGER AS rows, epoch_ms(built_at) AS at FROM _duckmetrics.metrics WHERE key = 'total'");
    await raw(db, unfold('total'));
    // Without the journal, `total` would look built from other inputs and be rebuilt, and `doubled` after it.
    engine = createEngine({ cwd: project.dir });
    const again = await engine.run();
    expect(again.metrics.map((m) => [m.name, m.status, m.reason])).toEqual([['total', 'skipped', 'up to date'], ['doubled', 'skipped', 'up to date']]);
    await engine.close();
    engine = undefined;
    expect(await raw(db, 'SELECT count(*)::INTEGER AS n FROM _duckmetrics.build_journal')).toEqual([{ n: 0 }]);
    expect(await raw(db, "SELECT input_hash, rows::INTEGER AS rows, epoch_ms(built_at) AS at FROM _duckmetrics.metrics WHERE key = 'total'")).toEqual(before);
  });

  it('is folded when the engine opens after a run that did not finish, and read as it is by a read-only engine', async () => {
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir });
    await engine.load();
    await engine.run();
    await engine.close();
    engine = undefined;
    const db = project.path('metrics.duckdb');
    await raw(db, `${unfold('total')}; INSERT INTO _duckmetrics.runs (run_id, command, status, started_at) VALUES ('killed', 'run', 'running', TIMESTAMP '2026-01-01 00:00:00')`);

    const reader = createEngine({ cwd: project.dir, readOnly: true });
    const catalog = await reader.catalog();
    expect(catalog.metrics.find((m) => m.name === 'total')?.lastBuild?.rows).toBe(1);
    await reader.close();
    expect(await raw(db, 'SELECT count(*)::INTEGER AS n FROM _duckmetrics.build_journal')).toEqual([{ n: 1 }]);

    engine = createEngine({ cwd: project.dir });
    expect((await engine.validate()).ok).toBe(true);
    await engine.close();
    engine = undefined;
    expect(await raw(db, "SELECT status FROM _duckmetrics.runs WHERE run_id = 'killed'")).toEqual([{ status: 'interrupted' }]);
    expect(await raw(db, 'SELECT count(*)::INTEGER AS n FROM _duckmetrics.build_journal')).toEqual([{ n: 0 }]);
    expect(await raw(db, "SELECT rows::INTEGER AS rows, input_hash <> 'an older build' AS current FROM _duckmetrics.metrics WHERE key = 'total'")).toEqual([{ rows: 1, current: true }]);
  });

  it('clean forgets journaled builds too', async () => {
    project = await projectDir(files);
    engine = createEngine({ cwd: project.dir });
    await engine.load();
    await engine.run();
    await engine.close();
    engine = undefined;
    const db = project.path('metrics.duckdb');
    await raw(db, unfold('total'));
    engine = createEngine({ cwd: project.dir });
    await engine.clean();
    await engine.close();
    engine = undefined;
    expect(await raw(db, 'SELECT (SELECT count(*) FROM _duckmetrics.build_journal)::INTEGER AS journal, (SELECT count(*) FROM _duckmetrics.metrics)::INTEGER AS metrics')).toEqual([{ journal: 0, metrics: 0 }]);
  });
});
