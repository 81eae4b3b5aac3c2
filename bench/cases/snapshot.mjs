// Case 11: a keyed snapshot (`snapshot: { key: [id] }`) of a 1M-row metric where 1% of the keys changed, vs the same
// build without snapshot; in process (engine.run, no process start), so the ratio is the snapshot's share of the build.
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine } from '@duckmetrics/core';
import { alternate, median, timeInProcess } from '../internal/measure.mjs';
import { makeProject, restoreDatabase } from '../internal/projects.mjs';
import { comparison, round } from '../internal/rows.mjs';

const config = (rows) => `export default {
  keepPreviousVersions: false,
  threads: 1,
  plugins: [{ name: 'customers', async loadSources(ctx) {
    await ctx.db.run('CREATE OR REPLACE TABLE customers AS SELECT range AS id, \\'seg\\' || (range % 7) AS segment, (range * 7) % 10000 AS ltv, range % 365 AS days_since FROM range(${rows})');
    return [{ name: 'customers', rows: ${rows}, fingerprint: 'v1' }];
  } }],
};
`;
const yaml = (sql, snapshot) => `metric_name: ltv\ndescription: bench\nowner: bench\nschedule: "0 6 * * *"\n${snapshot ? 'snapshot:\n  key: [id]\n' : ''}sql: |\n  ${sql}\n`;
const BEFORE = 'SELECT id, segment, ltv, days_since FROM customers';
// 1% of the keys get a new ltv.
const AFTER = 'SELECT id, segment, CASE WHEN id % 100 = 7 THEN ltv + 1 ELSE ltv END AS ltv, days_since FROM customers';

async function prepared(name, rows, snapshot) {
  const project = makeProject(name, { dataDir: path.dirname(new URL(import.meta.url).pathname), files: [], metrics: [] });
  writeFileSync(path.join(project.dir, 'metrics.config.mjs'), config(rows));
  writeFileSync(path.join(project.dir, 'metrics', 'ltv.yaml'), yaml(BEFORE, snapshot));
  const engine = createEngine({ cwd: project.dir });
  await engine.load();
  await engine.run({ now: new Date('2026-01-01T00:00:00Z') });
  await engine.close();
  writeFileSync(path.join(project.dir, 'metrics', 'ltv.yaml'), yaml(AFTER, snapshot));
  const pristine = path.join(project.dir, 'published.duckdb');
  restoreDatabase(project.database, pristine);
  return { ...project, pristine };
}

async function measuredRun(project) {
  const engine = createEngine({ cwd: project.dir });
  await engine.config();
  try {
    return await timeInProcess(async () => {
      const result = await engine.run({ now: new Date('2026-02-01T00:00:00Z') });
      if (!result.ok) throw new Error(`run failed: ${JSON.stringify(result.metrics.map((m) => m.error?.message))}`);
    });
  } finally {
    await engine.close();
  }
}

async function snapshotFacts(project) {
  const engine = createEngine({ cwd: project.dir });
  try {
    const [row] = await engine.query('SELECT count(*)::BIGINT AS versions, count(*) FILTER (WHERE _valid_to IS NULL)::BIGINT AS current FROM snapshots.ltv');
    return { versions: Number(row.versions), current: Number(row.current) };
  } finally {
    await engine.close();
  }
}

export default {
  id: 'snapshot',
  title: 'keyed snapshot of a 1M-row metric, 1% of keys changed, vs the build alone',
  timing: 'in process (engine.run)',
  async run({ options, log }) {
    const rows = options.quick ? 20_000 : 1_000_000;
    const snap = await prepared('snapshot-keyed', rows, true);
    const plain = await prepared('snapshot-none', rows, false);
    const before = await snapshotFacts(snap);
    const sizeBefore = statSync(snap.pristine).size;
    log(`  1 metric of ${rows} rows, ${rows / 100} keys changed`);
    const samples = await alternate([
      { name: 'snapshot', prepare: () => restoreDatabase(snap.pristine, snap.database), measure: () => measuredRun(snap) },
      { name: 'build', prepare: () => restoreDatabase(plain.pristine, plain.database), measure: () => measuredRun(plain) },
    ], { rounds: options.rounds });
    const after = await snapshotFacts(snap);
    const sizeAfter = statSync(snap.database).size;
    const ms = (s) => median(s.map((x) => x.ms));
    return [
      comparison({
        name: `keyed snapshot, ${rows} rows, 1% changed (run with snapshot / run without)`,
        tool: samples.snapshot, toolLabel: 'engine.run: build + audit + keyed snapshot write, one transaction',
        floor: samples.build, floorLabel: 'engine.run: the same build without snapshot',
        target: 2,
        extra: {
          snapshotMsApprox: round(ms(samples.snapshot) - ms(samples.build)),
          versionsBefore: before.versions, versionsAfter: after.versions, versionsAdded: after.versions - before.versions,
          growthPercent: round(((after.versions - before.versions) / before.versions) * 100),
          fileMbBefore: round(sizeBefore / 1e6), fileMbAfter: round(sizeAfter / 1e6),
        },
      }),
    ];
  },
};
