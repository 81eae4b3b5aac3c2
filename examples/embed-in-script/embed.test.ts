import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

interface Summary {
  ok: boolean;
  built: string[];
  sources: number;
  top: Array<{ rank: number; customer_unique_id: string; lifetime_value: number }>;
}

async function runScript(args: string[]): Promise<{ lines: string[]; summary: Summary }> {
  // No NODE_OPTIONS from the test runner: the scripts run as a user would run them.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const { stdout } = await run(process.execPath, args, { cwd: here, env, maxBuffer: 16 * 1024 * 1024 });
  const lines = stdout.trim().split('\n');
  return { lines, summary: JSON.parse(lines.at(-1)!) as Summary };
}

function expectPipeline({ lines, summary }: { lines: string[]; summary: Summary }): void {
  expect(summary.ok).toBe(true);
  expect(summary.sources).toBe(3);
  // `+top_customers` builds top_customers and what it reads, upstream first.
  expect(summary.built).toEqual(['order_values', 'customer_lifetime_value', 'top_customers']);
  expect(summary.top).toHaveLength(3);
  expect(summary.top[0]).toMatchObject({ rank: 1, lifetime_value: expect.any(Number) });
  // events arrive as they happen
  expect(lines).toContainEqual(expect.stringMatching(/^loaded orders: loaded, \d+ rows$/));
  expect(lines.indexOf('building order_values')).toBeLessThan(lines.indexOf('building top_customers'));
  expect(lines).toContainEqual(expect.stringMatching(/^top_customers: success, \d+ rows$/));
  expect(lines).toContain('revenue_by_state: skipped (not selected)');
}

describe('examples/embed-in-script', () => {
  it('embed.mjs: plain Node', async () => {
    expectPipeline(await runScript(['embed.mjs']));
  }, 120_000);

  it('embed.ts: TypeScript through tsx, with the same result', async () => {
    const js = await runScript(['embed.mjs']);
    const ts = await runScript(['--import', 'tsx', 'embed.ts']);
    expectPipeline(ts);
    expect(ts.summary).toEqual(js.summary);
  }, 120_000);
});
