// Olist-shaped CSVs from the example's seeded generator, cached under bench/.data keyed by scale, seed and
// the generator's own source (so an edited generator never serves stale files).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchDataDir, repoRoot } from './paths.mjs';

const generator = path.join(repoRoot, 'examples/customer-metrics/scripts/generate-data.mjs');

/** The three tables the generator writes, in file order. */
export const OLIST_FILES = ['customers.csv', 'order_items.csv', 'orders.csv'];

/**
 * Returns a folder holding customers.csv, orders.csv and order_items.csv for `customers` people and `seed`,
 * generating it once (atomically: a half-written folder is never used) and reusing it afterwards.
 *
 * @example
 * ```js
 * const dir = await olistData({ customers: 200_000, seed: 42, log: console.error });
 * ```
 */
export async function olistData({ customers, seed, log = () => {} }) {
  const version = createHash('sha256').update(readFileSync(generator)).digest('hex').slice(0, 10);
  const dir = path.join(benchDataDir, `olist-c${customers}-s${seed}-g${version}`);
  const meta = path.join(dir, 'rows.json');
  if (existsSync(meta)) return { dir, rows: JSON.parse(readFileSync(meta, 'utf8')) };
  pruneStale(version);
  mkdirSync(benchDataDir, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  log(`generating Olist data: ${customers.toLocaleString('en-US')} customers, seed ${seed} (cached in ${path.relative(repoRoot, dir)})`);
  const started = performance.now();
  const message = await runGenerator(['--customers', String(customers), '--seed', String(seed), '--out', partial]);
  // "wrote N customers/orders and M order items to …"
  const match = /wrote (\d+) customers\/orders and (\d+) order items/.exec(message);
  if (!match) throw new Error(`unexpected generator output: ${message}`);
  const rows = { customers: Number(match[1]), orders: Number(match[1]), order_items: Number(match[2]) };
  writeFileSync(path.join(partial, 'rows.json'), JSON.stringify(rows));
  if (existsSync(meta)) rmSync(partial, { recursive: true, force: true }); // another bench got there first
  else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, rows };
}

function runGenerator(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [generator, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr.trim()) : reject(new Error(`generate-data.mjs failed (${code}): ${stderr}`))));
  });
}

/** Removes data made by an older generator (the 10M-row set is several GB) and leftovers of killed runs. */
function pruneStale(version) {
  if (!existsSync(benchDataDir)) return;
  for (const name of readdirSync(benchDataDir)) {
    const data = /^olist-c\d+-s\d+-g([0-9a-f]+)$/.exec(name);
    const partial = /\.partial-(\d+)$/.exec(name);
    if ((data && data[1] !== version) || (partial && !isAlive(Number(partial[1])))) {
      rmSync(path.join(benchDataDir, name), { recursive: true, force: true });
    }
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
