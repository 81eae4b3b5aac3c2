// The same as embed.mjs, typed: what an engineer writes in a TypeScript code base.
//
//   npx tsx examples/embed-in-script/embed.ts [project-dir]
//
// Run with tsx (no build step, like most TS scripts); `npm run typecheck` checks it with tsc.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@duckmetrics/core';
import type { Engine, LoadResult, MetricRunResult, RunResult } from '@duckmetrics/core';

/** A row of the top_customers metric table. */
interface TopCustomer {
  rank: number;
  customer_unique_id: string;
  lifetime_value: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(process.argv[2] ?? path.join(here, '../customer-metrics'));

async function tempCopy(from: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-embed-'));
  for (const folder of ['data', 'metrics']) await cp(path.join(from, folder), path.join(dir, folder), { recursive: true });
  return dir;
}

function describe(m: MetricRunResult): string {
  return `${m.name}: ${m.status}${m.reason ? ` (${m.reason})` : ''}${m.rows === undefined ? '' : `, ${m.rows} rows`}`;
}

const project = await tempCopy(source);
const engine: Engine = createEngine({ cwd: project, logger: { warn: (message) => console.warn(`warning: ${message}`) } });
engine.on('source:loaded', (s) => console.log(`loaded ${s.name}: ${s.status}, ${s.rows} rows`));
engine.on('metric:start', ({ name }) => console.log(`building ${name}`));
engine.on('metric:end', (m) => console.log(describe(m)));

try {
  const loaded: LoadResult = await engine.load();
  if (!loaded.ok) throw new Error(`load failed: ${JSON.stringify(loaded.sources.filter((s) => s.error))}`);

  const result: RunResult = await engine.run({ select: ['+top_customers'] });
  for (const m of result.metrics) for (const d of m.errors) console.error(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);

  const top = await engine.query<TopCustomer>('SELECT rank, customer_unique_id, lifetime_value FROM top_customers ORDER BY rank, customer_unique_id LIMIT 3');
  console.table(top);

  const built = result.metrics.filter((m) => m.status === 'success').map((m) => m.name);
  console.log(JSON.stringify({ ok: result.ok, built, sources: loaded.sources.length, top }));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await engine.close();
  await rm(project, { recursive: true, force: true });
}
