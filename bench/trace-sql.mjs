// Profiling aid: preload it to time every statement a process sends through @duckdb/node-api, grouped by its
// shape (literals and quoted names elided), printed on stderr at exit. Only outermost calls are counted
// (runAndReadAll calls run inside); calls in flight at once each count, so "awaited" can exceed the process time.
// Works for the CLI and the floors alike:
//
//   node --import ./bench/trace-sql.mjs packages/cli/dist/bin.js run --cwd PROJECT > /dev/null
//   TRACE_SQL_TOP=40 node --import ./bench/trace-sql.mjs bench/floor-build.mjs DB STATEMENTS.json
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(pathToFileURL(`${process.cwd()}/`).href);
// Core loads its own bundle of @duckdb/node-api (packages/core/dist/vendor/); the floors load the package.
const apis = [require('@duckdb/node-api')];
try {
  apis.push(require(require.resolve('@duckmetrics/core/package.json').replace(/package\.json$/, 'dist/vendor/duckdb-node-api.cjs')));
} catch {
  // not built, or run from elsewhere: the package alone
}
const stats = new Map();
const started = performance.now();
// Inside a traced call (runAndReadAll calls run): its own async context, so calls in flight at once all count.
const inside = new AsyncLocalStorage();
const shape = (sql) =>
  String(sql).trim().replace(/\s+/g, ' ').replace(/'(?:[^']|'')*'/g, "'…'").replace(/"(?:[^"]|"")*"/g, '"…"').slice(0, 70);

for (const api of apis) for (const method of ['run', 'runAndRead', 'runAndReadAll', 'runAndReadUntil', 'stream', 'streamAndRead', 'streamAndReadAll', 'extractStatements', 'prepare']) {
  const original = api.DuckDBConnection.prototype[method];
  if (typeof original !== 'function') continue;
  api.DuckDBConnection.prototype[method] = async function traced(sql, ...rest) {
    if (inside.getStore()) return original.call(this, sql, ...rest);
    const t0 = performance.now();
    try {
      return await inside.run(true, () => original.call(this, sql, ...rest));
    } finally {
      const key = `${method} ${shape(sql)}`;
      const entry = stats.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - t0;
      stats.set(key, entry);
    }
  };
}

process.on('exit', () => {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const calls = rows.reduce((n, [, s]) => n + s.calls, 0);
  const awaited = rows.reduce((n, [, s]) => n + s.ms, 0);
  const lines = [`\nSQL trace: ${calls} calls, ${awaited.toFixed(0)} ms awaited, process ${(performance.now() - started).toFixed(0)} ms`];
  for (const [key, s] of rows.slice(0, Number(process.env.TRACE_SQL_TOP ?? 20))) {
    lines.push(`${s.ms.toFixed(0).padStart(8)} ms ${String(s.calls).padStart(6)}×  ${(s.ms / s.calls).toFixed(2).padStart(6)} ms/call  ${key}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
});
