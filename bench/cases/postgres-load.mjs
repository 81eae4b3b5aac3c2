// Case 8: `duckmetrics setup` of a PostgreSQL table through plugin-postgres vs psql `\copy … TO file` plus a bare
// read_csv of the file, at two row counts; peak RSS of each (the plugin streams, so it must not grow with rows).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { alternate } from '../internal/measure.mjs';
import { repoRoot } from '../internal/paths.mjs';
import { removeDatabase, scratchDir } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

const FULL_ROWS = [250_000, 1_000_000];
const QUICK_ROWS = [5_000, 20_000];
const serverHelper = path.join(repoRoot, 'packages', 'plugin-postgres', 'test', 'pg-server.ts');

/** The test suite's server helper (TypeScript, loaded through tsx), or why there is no server to start. */
async function serverModule() {
  const { register } = await import('tsx/esm/api');
  register();
  const helper = await import(serverHelper);
  return helper.findPostgresBindir() === undefined ? { skipped: 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin): apt-get install postgresql' } : { helper };
}

function project(dir, url, table) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'metrics'), { recursive: true });
  writeFileSync(path.join(dir, 'metrics.config.mjs'), [
    "import { postgres } from '@duckmetrics/plugin-postgres';",
    `export default { plugins: [postgres({ url: ${JSON.stringify(url)}, tables: [${JSON.stringify(`public.${table}`)}] })] };`,
  ].join('\n'));
  return { dir, database: path.join(dir, 'metrics.duckdb') };
}

export default {
  id: 'postgres-load',
  title: 'PostgreSQL table load',
  timing: 'whole process, peak RSS',
  async run({ options, cli, node, log }) {
    const found = await serverModule();
    if (found.skipped) return { skipped: found.skipped };
    const server = await found.helper.startPostgres();
    try {
      server.psql('CREATE DATABASE bench');
      const rows = [];
      for (const count of options.quick ? QUICK_ROWS : FULL_ROWS) {
        const table = `orders_${count}`;
        log(`  generating ${count.toLocaleString('en-US')} rows in PostgreSQL …`);
        server.psql(`CREATE TABLE ${table} AS SELECT g AS id, g % 1000 AS customer_id, (g * 1.37)::numeric(12,2) AS amount, md5(g::text) AS note,
          timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' AS updated_at, g % 3 = 0 AS paid FROM generate_series(1, ${count}) AS g;
          VACUUM ANALYZE ${table};`, 'bench');
        // Under bench/.data in the repository, so '@duckmetrics/plugin-postgres' resolves to the workspace package.
        const tool = project(path.join(scratchDir, `postgres-${count}`), server.url('postgres', found.helper.SUPER_PASSWORD, 'bench'), table);
        const floorDb = path.join(tool.dir, 'floor.duckdb');
        const csvFile = path.join(tool.dir, 'floor.csv');
        const samples = await alternate([
          { name: 'tool', prepare: () => removeDatabase(tool.database), measure: () => cli(['setup', '--cwd', tool.dir], { rss: true }) },
          {
            name: 'floor',
            prepare: () => { removeDatabase(floorDb); rmSync(csvFile, { force: true }); },
            measure: () => node([path.join(repoRoot, 'bench', 'floor-postgres.mjs'), floorDb, path.join(server.bindir, 'psql'), String(server.port), table, csvFile], { rss: true, env: { PGPASSWORD: found.helper.SUPER_PASSWORD } }),
          },
        ], { rounds: options.rounds });
        rows.push(comparison({
          name: `load a ${count.toLocaleString('en-US')}-row PostgreSQL table`,
          tool: samples.tool, toolLabel: 'duckmetrics setup with postgres() (COPY TO STDOUT → temp file → read_csv with catalog types)',
          floor: samples.floor, floorLabel: 'floor-postgres.mjs (psql \\copy (SELECT *) TO file, then CREATE TABLE AS SELECT * FROM read_csv)',
          target: 1.2,
          extra: { rows: count, showRss: true },
        }));
        removeDatabase(tool.database);
        removeDatabase(floorDb);
        rmSync(csvFile, { force: true });
      }
      return rows;
    } finally {
      server.stop();
    }
  },
};
