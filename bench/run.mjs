#!/usr/bin/env node
// duckmetrics benchmark: each case against its floor (the same statements on bare @duckdb/node-api), in
// alternating rounds; prints medians and ratios tool / floor. See docs/benchmarks.md.
//
//   npm run bench                                   build, then every case at the default scale
//   node bench/run.mjs --cases startup,validate      some cases (ids or numbers 1-11)
//   node bench/run.mjs --quick --rounds 1 --json     small smoke run, JSON on stdout
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import csvLoad from './cases/csv-load.mjs';
import metricQuery from './cases/metric-query.mjs';
import pipeline from './cases/pipeline.mjs';
import postgresLoad from './cases/postgres-load.mjs';
import planDiff from './cases/plan-diff.mjs';
import rerun from './cases/rerun.mjs';
import scaling from './cases/scaling.mjs';
import snapshot from './cases/snapshot.mjs';
import startup from './cases/startup.mjs';
import unitTests from './cases/unit-tests.mjs';
import validate from './cases/validate.mjs';
import { machine, source } from './internal/machine.mjs';
import { rssMethod, timeProcess } from './internal/measure.mjs';
import { cliBin, floorScript, repoRoot } from './internal/paths.mjs';
import { removeScratch } from './internal/projects.mjs';
import { formatReport } from './internal/report.mjs';

const CASES = [pipeline, validate, rerun, startup, scaling, csvLoad, unitTests, postgresLoad, planDiff, metricQuery, snapshot];

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '42' },
    rounds: { type: 'string', default: '5' },
    cases: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`Usage: node bench/run.mjs [--customers N] [--rounds N] [--cases ${CASES.map((c) => c.id).join(',')}] [--quick] [--json]\n`);
  process.exit(0);
}
const positive = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return n;
};
const options = {
  customers: positive('customers', values.quick && values.customers === '200000' ? '2000' : values.customers),
  seed: positive('seed', values.seed),
  rounds: positive('rounds', values.rounds),
  quick: values.quick,
};
const selected = values.cases === undefined ? CASES : values.cases.split(',').map((key) => {
  const found = CASES.find((c, i) => c.id === key.trim() || String(i + 1) === key.trim());
  if (!found) {
    process.stderr.write(`unknown case "${key}"; cases: ${CASES.map((c, i) => `${i + 1} ${c.id}`).join(', ')}\n`);
    process.exit(2);
  }
  return found;
});
if (!existsSync(cliBin)) {
  process.stderr.write(`${cliBin} is missing: run npm run build first (npm run bench does)\n`);
  process.exit(2);
}

const log = (message) => process.stderr.write(`${message}\n`);
const context = {
  options,
  log,
  node: (args, opts) => timeProcess(process.execPath, args, { cwd: repoRoot, ...opts }),
  cli: (args, opts) => timeProcess(process.execPath, [cliBin, ...args], { cwd: repoRoot, ...opts }),
  floor: (name, args, opts) => timeProcess(process.execPath, [floorScript(name), ...args], { cwd: repoRoot, ...opts }),
};

const report = {
  date: new Date().toISOString(),
  machine: machine(),
  source: source(repoRoot),
  options: { ...options, timing: 'wall time of each whole process, spawn to exit', rss: rssMethod, order: 'one untimed warm-up, then rounds of A B A B …' },
  cases: [],
};
removeScratch({ stale: true });
const started = performance.now();
try {
  for (const benchCase of selected) {
    const number = CASES.indexOf(benchCase) + 1;
    log(`[${number}/${CASES.length}] ${benchCase.title} …`);
    const t0 = performance.now();
    const entry = { id: benchCase.id, number, title: benchCase.title, timing: benchCase.timing };
    try {
      const rows = await benchCase.run(context);
      // A case whose prerequisite is missing (PostgreSQL) says why instead of failing the bench.
      if (rows.skipped) log(`  skipped: ${(entry.skipped = rows.skipped)}`);
      else entry.rows = rows;
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      log(`  failed: ${entry.error}`);
    }
    entry.seconds = Math.round((performance.now() - t0) / 100) / 10;
    report.cases.push(entry);
  }
} finally {
  removeScratch();
}
report.seconds = Math.round((performance.now() - started) / 100) / 10;
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
process.exitCode = report.cases.some((c) => c.error) ? 1 : 0;
