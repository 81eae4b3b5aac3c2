// Smoke test of the benchmark: a quick run produces every case with finite, positive ratios. No timing is
// asserted (that is what `npm run bench` and docs/benchmarks.md are for).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface BenchRow {
  name: string;
  ratio: number;
  target: number | null;
  met: boolean | null;
  tool: { medianMs: number };
  floor: { medianMs: number };
}
interface BenchReport {
  machine: { node: string; cpu: string; cores: number };
  cases: { id: string; rows?: BenchRow[]; error?: string }[];
}

describe('npm run bench --quick', () => {
  it('reports every case with finite positive ratios', { timeout: 180_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bench/run.mjs', '--quick', '--rounds', '1', '--json'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as BenchReport;
    expect(report.machine.node).toBe(process.version);
    expect(report.cases.map((c) => c.id)).toEqual(['pipeline', 'validate', 'rerun', 'startup', 'scaling', 'csv-load', 'unit-tests', 'postgres-load', 'plan-diff', 'metric-query', 'snapshot']);
    for (const c of report.cases) {
      expect(c.error, `${c.id}: ${c.error}`).toBeUndefined();
      expect(c.rows?.length, c.id).toBeGreaterThan(0);
      for (const row of c.rows ?? []) {
        expect(Number.isFinite(row.ratio) && row.ratio > 0, `${c.id} / ${row.name}: ratio ${row.ratio}`).toBe(true);
        expect(row.tool.medianMs, row.name).toBeGreaterThan(0);
        expect(row.floor.medianMs, row.name).toBeGreaterThan(0);
        expect(row.met === null ? row.target : typeof row.met, row.name).toBe(row.met === null ? null : 'boolean');
      }
    }
  });
});
