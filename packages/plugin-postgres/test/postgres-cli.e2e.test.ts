// A metric built on PostgreSQL sources end to end through the built CLI: a temp project whose metrics.config.ts
// uses postgres() with the url from DATABASE_URL; setup, build, query, docs, and a wrong password never printed.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { BIN, runCli } from '../../cli/test/run-cli.ts';
import { createShop, LOADER } from './fixtures.ts';
import { startPostgres } from './pg-server.ts';
import type { PgServer } from './pg-server.ts';

let server: PgServer;
let url: string;
beforeAll(async () => {
  server = await startPostgres();
  url = createShop(server);
});
afterAll(() => server?.stop());

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const CONFIG = `import { defineConfig } from '@duckmetrics/core';
import { postgres } from '@duckmetrics/plugin-postgres';
export default defineConfig({
  plugins: [postgres({
    url: process.env.DATABASE_URL,
    tables: ['public.customers', 'public.orders'],
    queries: { paying_customers: 'SELECT id, email FROM public.customers WHERE paid' },
    incremental: { orders: { key: ['id'], cursor: 'updated_at' } },
  })],
});
`;

/** A project that imports the plugin by name, as a user's does: its node_modules links the CLI's copy of it. */
async function postgresProject(): Promise<TempProject> {
  const p = await projectDir({
    'metrics.config.ts': CONFIG,
    'metrics/revenue_by_paying_customer.yaml': metricYaml({
      metric_name: 'revenue_by_paying_customer',
      sql: 'SELECT c.email, sum(o.amount) AS revenue FROM orders o JOIN paying_customers c ON c.id = o.customer_id GROUP BY c.email',
    }),
  });
  const packages = path.resolve(BIN, '..', '..', '..');
  mkdirSync(path.join(p.dir, 'node_modules', '@duckmetrics'), { recursive: true });
  symlinkSync(path.join(packages, 'plugin-postgres'), path.join(p.dir, 'node_modules', '@duckmetrics', 'plugin-postgres'), 'dir');
  return p;
}

describe('duckmetrics with postgres()', () => {
  it('setup, build, query and docs: the metric is built from PostgreSQL; the catalog shows postgres as the origin', async () => {
    project = await postgresProject();
    const env = { DATABASE_URL: url };
    const setup = await runCli(['setup', '--json'], project.dir, env);
    expect(setup.code, setup.stderr).toBe(0);
    expect(JSON.parse(setup.stdout).sources.map((s: { name: string; plugin: string; status: string; rows: number }) => [s.name, s.plugin, s.status, s.rows])).toEqual([
      ['customers', 'postgres', 'loaded', 3], ['orders', 'postgres', 'loaded', 3], ['paying_customers', 'postgres', 'loaded', 2],
    ]);

    server.psql("INSERT INTO orders VALUES (4, 3, 2.75, '2024-05-01 00:00:00+00')", 'shop');
    const build = await runCli(['build', '--json'], project.dir, env);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const built = JSON.parse(build.stdout);
    expect(built.load.sources.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['customers', 'unchanged'], ['orders', 'loaded'], ['paying_customers', 'unchanged']]);
    expect(built.run.metrics).toMatchObject([{ name: 'revenue_by_paying_customer', status: 'success', rows: 2 }]);

    const query = await runCli(['query', '--json', 'SELECT email, revenue::VARCHAR AS revenue FROM revenue_by_paying_customer ORDER BY email'], project.dir, env);
    expect(query.code, query.stderr).toBe(0);
    expect(JSON.parse(query.stdout)).toMatchObject({ rows: [{ email: 'ana@example.com', revenue: '15.50' }, { email: 'cy@example.com', revenue: '10.00' }] });

    const docs = await runCli(['docs', '--out', 'site'], project.dir, env);
    expect(docs.code, docs.stderr).toBe(0);
    expect(readFileSync(path.join(project.dir, 'site', 'index.html'), 'utf8')).toContain('from postgres');

    for (const out of [setup, build, query, docs]) expect(out.stdout + out.stderr).not.toContain(LOADER.password);
  });

  it('a wrong password: setup fails with PG_AUTH_FAILED and prints neither password', async () => {
    project = await postgresProject();
    const wrong = 'n0t-the-Passw0rd';
    const setup = await runCli(['setup'], project.dir, { DATABASE_URL: server.url(LOADER.user, wrong, 'shop') });
    expect(setup.code).toBe(1);
    const output = setup.stdout + setup.stderr;
    expect(output).toContain('PG_AUTH_FAILED');
    expect(output).toContain('password authentication failed for user "loader"');
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(LOADER.password);
  });
});
