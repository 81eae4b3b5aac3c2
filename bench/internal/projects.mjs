// Scratch duckmetrics projects for the cases: data/ linked to the cached CSVs, metrics/*.yaml, and a
// statements.json holding the same SQL for the floors (which never read YAML).
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { benchDataDir, repoRoot } from './paths.mjs';

/** The scratch folder of this bench process. */
export const scratchDir = path.join(benchDataDir, `run-${process.pid}`);

/** Removes this process's scratch folder and those of bench processes that no longer run. */
export function removeScratch({ stale = false } = {}) {
  rmSync(scratchDir, { recursive: true, force: true });
  if (!stale || !existsSync(benchDataDir)) return;
  for (const name of readdirSync(benchDataDir)) {
    const m = /^run-(\d+)$/.exec(name);
    if (m && !isAlive(Number(m[1]))) rmSync(path.join(benchDataDir, name), { recursive: true, force: true });
  }
}

/**
 * Makes a project folder: `data/` holds links to `files` of `dataDir`, `metrics/` the given metrics.
 * Returns its paths: `dir`, `database` (the default metrics.duckdb), `statements` (JSON of `{ name, sql }`)
 * and `csv` (the linked files).
 */
export function makeProject(name, { dataDir, files, metrics, fixtures }) {
  const dir = path.join(scratchDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  mkdirSync(path.join(dir, 'metrics'), { recursive: true });
  const csv = files.map((file) => {
    const target = path.join(dir, 'data', file);
    try {
      linkSync(path.join(dataDir, file), target);
    } catch {
      copyFileSync(path.join(dataDir, file), target);
    }
    return target;
  });
  for (const metric of metrics) writeFileSync(path.join(dir, 'metrics', metric.file), metric.yaml);
  // Files the metrics' unit tests read (fixture CSVs), relative to metrics/.
  if (fixtures) cpSync(fixtures, path.join(dir, 'metrics', path.basename(fixtures)), { recursive: true });
  const statements = path.join(dir, 'statements.json');
  writeFileSync(statements, JSON.stringify(buildOrder(metrics).map(({ name: n, sql }) => ({ name: n, sql }))));
  return { dir, database: path.join(dir, 'metrics.duckdb'), statements, csv };
}

/** Deletes a DuckDB database file and its WAL. */
export function removeDatabase(file) {
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
}

/** Replaces `target` (and its WAL) with a copy of the database `source` (and its WAL). */
export function restoreDatabase(source, target) {
  removeDatabase(target);
  copyFileSync(source, target);
  if (existsSync(`${source}.wal`)) copyFileSync(`${source}.wal`, `${target}.wal`);
}

/** The folder of the example metrics' fixture files (read by their unit tests). */
export const exampleFixtures = path.join(repoRoot, 'examples/customer-metrics/metrics/tests');

/** The metrics of examples/customer-metrics, as files and as SQL. */
export function exampleMetrics() {
  const dir = path.join(repoRoot, 'examples/customer-metrics/metrics');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const yaml = readFileSync(path.join(dir, file), 'utf8');
      const doc = parse(yaml);
      return { file, name: doc.metric_name, sql: trimStatement(doc.sql), yaml };
    });
}

const STATUSES = ['delivered', 'shipped', 'canceled', 'invoiced', 'processing'];
const STATES = ['SP', 'RJ', 'MG', 'RS', 'PR', 'SC', 'BA', 'DF', 'GO', 'ES', 'PE', 'CE', 'PA'];

/**
 * `count` distinct, simple metrics over the Olist tables (filters and groupings vary with the index; one in
 * five joins all three tables), named metric_0001 …
 */
export function syntheticMetrics(count) {
  const metrics = [];
  for (let i = 0; i < count; i++) {
    const name = `metric_${String(i + 1).padStart(4, '0')}`;
    const status = STATUSES[i % STATUSES.length];
    const state = STATES[i % STATES.length];
    const k = (i % 97) + 2;
    const templates = [
      `SELECT customer_state, count(*) AS customers\nFROM customers\nWHERE customer_zip_code_prefix % ${k} = ${i % k}\nGROUP BY customer_state`,
      `SELECT date_trunc('month', order_purchase_timestamp) AS month, count(*) AS orders\nFROM orders\nWHERE order_status = '${status}' AND hour(order_purchase_timestamp) = ${i % 24}\nGROUP BY ALL`,
      `SELECT seller_id, round(sum(price), 2) AS revenue, count(*) AS items\nFROM order_items\nWHERE price > ${(i % 400) + 10}\nGROUP BY seller_id`,
      `SELECT c.customer_city AS city, round(avg(i.freight_value), 2) AS avg_freight, count(*) AS items\nFROM orders o\nJOIN customers c USING (customer_id)\nJOIN order_items i USING (order_id)\nWHERE o.order_status = '${status}' AND c.customer_state = '${state}'\nGROUP BY ALL`,
      `SELECT product_id, count(*) AS items, round(sum(freight_value), 2) AS freight\nFROM order_items\nWHERE freight_value > ${(i % 40) + 5}\nGROUP BY ALL\nORDER BY items DESC\nLIMIT 100`,
    ];
    const sql = templates[i % templates.length];
    const yaml = [
      `metric_name: ${name}`,
      `description: Synthetic benchmark metric ${i + 1}.`,
      'owner: bench',
      `schedule: "${i % 60} 6 * * *"`,
      'sql: |',
      ...sql.split('\n').map((line) => `  ${line}`),
      '',
    ].join('\n');
    metrics.push({ file: `${name}.yaml`, name, sql, yaml });
  }
  return metrics;
}

/**
 * Metrics ordered so that one that names another metric's table comes after it (a word match on the name is
 * enough for the bench's own metrics and the example's; the tool infers the same edges from DuckDB's parser).
 */
export function buildOrder(metrics) {
  const byName = new Map(metrics.map((m) => [m.name.toLowerCase(), m]));
  const ordered = [];
  const seen = new Set();
  const visit = (metric) => {
    if (seen.has(metric)) return; // done, or a word match that only looks like a cycle (e.g. a column alias)
    seen.add(metric);
    for (const word of new Set(metric.sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? [])) {
      const upstream = byName.get(word);
      if (upstream && upstream !== metric) visit(upstream);
    }
    ordered.push(metric);
  };
  for (const metric of metrics) visit(metric);
  return ordered;
}

function trimStatement(sql) {
  return sql.replace(/[\s;]+$/u, '');
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const loaded = new Map();

/**
 * A project whose sources are loaded by `duckmetrics setup` (untimed) and kept as `pristine`, a database to
 * restore before every measured build so each one starts from the same state. Made once per name and process;
 * its database is restored to `pristine` on every call.
 */
export async function loadedProject(name, { dataDir, files, metrics, cli }) {
  let project = loaded.get(name);
  if (!project) {
    const made = makeProject(name, { dataDir, files, metrics });
    await cli(['setup', '--cwd', made.dir]);
    const pristine = path.join(made.dir, 'pristine.duckdb');
    restoreDatabase(made.database, pristine);
    project = { ...made, pristine, floorDatabase: path.join(made.dir, 'floor.duckdb') };
    loaded.set(name, project);
  }
  restoreDatabase(project.pristine, project.database);
  restoreDatabase(project.pristine, project.floorDatabase);
  return project;
}
