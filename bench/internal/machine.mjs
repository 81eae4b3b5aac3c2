// What the numbers were measured on.
import { execFileSync } from 'node:child_process';
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

/** The commit measured, and whether packages/ had uncommitted changes (the build is of the working tree). */
export function source(cwd) {
  try {
    const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedPackages: git('status', '--porcelain', '--', 'packages').length > 0 };
  } catch {
    return { commit: 'unknown', uncommittedPackages: false };
  }
}
