// Embedding duckmetrics in a plain Node script: create an engine on a temp copy of examples/customer-metrics,
// load the CSVs, build a selection of metrics while listening to events, and read a result table back.
//
//   node examples/embed-in-script/embed.mjs [project-dir]
//
// The last line is a JSON summary (the test in embed.test.ts reads it).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@duckmetrics/core';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(process.argv[2] ?? path.join(here, '../customer-metrics'));

// Work on a copy, so the example's own metrics.duckdb is left alone.
const project = await mkdtemp(path.join(os.tmpdir(), 'duckmetrics-embed-'));
for (const folder of ['data', 'metrics']) await cp(path.join(source, folder), path.join(project, folder), { recursive: true });

const engine = createEngine({ cwd: project, logger: { warn: (message) => console.warn(`warning: ${message}`) } });
engine.on('source:loaded', (s) => console.log(`loaded ${s.name}: ${s.status}, ${s.rows} rows`));
engine.on('metric:start', (m) => console.log(`building ${m.name}`));
engine.on('metric:end', (m) => console.log(`${m.name}: ${m.status}${m.reason ? ` (${m.reason})` : ''}${m.rows === undefined ? '' : `, ${m.rows} rows`}`));

try {
  const loaded = await engine.load();
  if (!loaded.ok) throw new Error(`load failed: ${JSON.stringify(loaded.sources.filter((s) => s.error))}`);

  // `+top_customers`: top_customers and everything it reads (dbt's selector syntax).
  const result = await engine.run({ select: ['+top_customers'] });
  for (const m of result.metrics) for (const d of m.errors) console.error(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);

  const top = await engine.query('SELECT rank, customer_unique_id, lifetime_value FROM top_customers ORDER BY rank, customer_unique_id LIMIT 3');
  console.table(top);

  const built = result.metrics.filter((m) => m.status === 'success').map((m) => m.name);
  console.log(JSON.stringify({ ok: result.ok, built, sources: loaded.sources.length, top }));
  process.exitCode = result.ok ? 0 : 1;
} finally {
  await engine.close();
  await rm(project, { recursive: true, force: true });
}
