// Case 9: `duckmetrics plan` (build into the preview + diff against the published table) vs `duckmetrics run` of the
// same change (the build alone), on two metrics of 1M rows each: one diffed by a key, one as a multiset.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { alternate } from '../internal/measure.mjs';
import { makeProject, restoreDatabase } from '../internal/projects.mjs';
import { comparison, round } from '../internal/rows.mjs';

// A source made in DuckDB (no CSV to parse: what is measured is the build and the diff).
const config = (rows) => `export default {
  keepPreviousVersions: false,
  plugins: [{ name: 'events', async loadSources(ctx) {
    await ctx.db.run('CREATE OR REPLACE TABLE events AS SELECT range AS id, range % 1000 AS customer_id, (range * 7) % 10000 AS amount, \\'s\\' || (range % 13) AS status FROM range(${rows})');
    return [{ name: 'events', rows: ${rows}, fingerprint: 'v1' }];
  } }],
};
`;
const metric = (name, sql, key) => ({ file: `${name}.yaml`, name, sql, yaml: `metric_name: ${name}\ndescription: bench\nowner: bench\nschedule: "0 6 * * *"\n${key ? `unique_key: [${key}]\n` : ''}sql: |\n  ${sql}\n` });
const before = [metric('keyed', 'SELECT id, customer_id, amount, status FROM events', 'id'), metric('unkeyed', 'SELECT customer_id, amount, status FROM events')];
// The change: a tenth of the rows dropped, a thirteenth of the amounts changed.
const after = [
  metric('keyed', 'SELECT id, customer_id, CASE WHEN id % 13 = 0 THEN amount + 1 ELSE amount END AS amount, status FROM events WHERE id % 10 <> 0', 'id'),
  metric('unkeyed', 'SELECT customer_id, CASE WHEN customer_id % 13 = 0 THEN amount + 1 ELSE amount END AS amount, status FROM events WHERE amount % 10 <> 0'),
];

export default {
  id: 'plan-diff',
  title: 'plan: preview build + row diff at 1M rows per table',
  timing: 'whole process',
  async run({ options, cli, log }) {
    const rows = options.quick ? 20_000 : 1_000_000;
    const project = makeProject('plan-diff', { dataDir: path.dirname(new URL(import.meta.url).pathname), files: [], metrics: before });
    writeFileSync(path.join(project.dir, 'metrics.config.mjs'), config(rows));
    await cli(['setup', '--cwd', project.dir]);
    await cli(['run', '--cwd', project.dir]);
    for (const m of after) writeFileSync(path.join(project.dir, 'metrics', m.file), m.yaml);
    const pristine = path.join(project.dir, 'published.duckdb');
    restoreDatabase(project.database, pristine);
    log(`  2 metrics of ${rows} rows`);
    const samples = await alternate([
      { name: 'plan', prepare: () => restoreDatabase(pristine, project.database), measure: () => cli(['plan', '--cwd', project.dir]) },
      { name: 'run', prepare: () => restoreDatabase(pristine, project.database), measure: () => cli(['run', '--cwd', project.dir]) },
    ], { rounds: options.rounds });
    restoreDatabase(pristine, project.database);
    const startup = await alternate([{ name: 'validate', measure: () => cli(['validate', '--cwd', project.dir]) }], { rounds: Math.min(3, options.rounds) });
    const median = (s) => [...s].map((x) => x.ms).sort((a, b) => a - b)[Math.floor(s.length / 2)];
    return [
      comparison({
        name: `plan of 2 changed metrics, ${rows} rows each (plan / run)`,
        tool: samples.plan, toolLabel: 'duckmetrics plan (preview build, checks, keyed + multiset diff)',
        floor: samples.run, floorLabel: 'duckmetrics run (the same builds, published; keepPreviousVersions off)',
        target: 2,
        extra: { diffMsApprox: round(median(samples.plan) - median(samples.run)), buildMsApprox: round(median(samples.run) - median(startup.validate)) },
      }),
    ];
  },
};
