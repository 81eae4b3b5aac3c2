// What the numbers were measured on.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

/** Node version, CPU model, core count, memory and the DuckDB package version. */
export function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() it is
  }
  let duckdb = 'unknown';
  try {
    duckdb = createRequire(import.meta.url)('@duckdb/node-api/package.json').version;
  } catch {
    // version not exported
  }
  return {
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    duckdbNodeApi: duckdb,
  };
}
