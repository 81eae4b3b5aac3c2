// Timing primitives: whole-process wall time (spawn → exit), peak RSS, alternating rounds and medians.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const rssPreload = fileURLToPath(new URL('./report-max-rss.mjs', import.meta.url));
const MARK = '@@bench-time';

/** How CPU time and peak RSS are measured on this machine. */
export const rssMethod = hasTime ? '/usr/bin/time (user, system, maximum resident set size)' : 'process.resourceUsage() in the child (peak RSS only)';

/**
 * Runs `command args` to completion. Returns its wall time in ms (spawn to exit, measured here) and, when
 * /usr/bin/time is present, its user + system CPU ms and peak RSS in KiB. With `rss` and no /usr/bin/time, a
 * preload in the (node) child reports its peak RSS. A non-zero exit rejects with the end of stderr, so a broken
 * tool never produces a timing.
 */
export function timeProcess(command, args, { cwd, rss = false, env } = {}) {
  let file = command;
  let argv = args;
  let rssFile;
  if (hasTime) {
    file = TIME;
    argv = ['-f', `${MARK} %U %S %M`, command, ...args];
  } else if (rss) {
    if (command !== process.execPath) throw new Error('peak RSS without /usr/bin/time needs a node child');
    rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}.json`);
    argv = ['--import', rssPreload, ...args];
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env, ...(rssFile ? { BENCH_RSS_FILE: rssFile } : {}) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const measured = new RegExp(`${MARK} ([\\d.]+) ([\\d.]+) (\\d+)\\s*$`).exec(stderr);
      if (code !== 0) {
        const shown = stderr.replace(new RegExp(`(Command exited with non-zero status \\d+\\s*)?${MARK}.*\\s*$`), '').trim().split('\n').slice(-6).join('\n');
        reject(new Error(`${[command, ...args].map((a) => path.basename(a)).join(' ')} exited with ${code ?? signal}:\n${shown}`));
        return;
      }
      const sample = { ms };
      if (measured) {
        sample.cpuMs = (Number(measured[1]) + Number(measured[2])) * 1000;
        sample.rssKb = Number(measured[3]);
      } else if (rssFile) {
        sample.rssKb = JSON.parse(readFileSync(rssFile, 'utf8')).maxRSS;
        rmSync(rssFile, { force: true });
      }
      resolve(sample);
    });
  });
}

/** Times an async function in this process. */
export async function timeInProcess(work) {
  const started = performance.now();
  await work();
  return { ms: performance.now() - started };
}

/**
 * Runs each side once to warm caches (not counted), then `rounds` rounds of every side in turn (A B A B …).
 * `sides` is a list of `{ name, prepare?, measure }`; `prepare` runs untimed before each measurement.
 * Returns the samples of each side by name.
 */
export async function alternate(sides, { rounds, warmup = true }) {
  const samples = Object.fromEntries(sides.map((s) => [s.name, []]));
  for (let round = warmup ? -1 : 0; round < rounds; round++) {
    for (const side of sides) {
      if (side.prepare) await side.prepare();
      const sample = await side.measure();
      if (round >= 0) samples[side.name].push(sample);
    }
  }
  return samples;
}

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of samples, in ms. */
export const medianMs = (samples) => median(samples.map((s) => s.ms));
