// Unit tests of the build queue: ordering, concurrency, the downstream of a failure, cancellation.
import { describe, expect, it } from 'vitest';
import type { Database } from '../database/database.ts';
import type { Metric } from '../metrics/metric.ts';
import type { BuildStep } from '../project/build-plan.ts';
import { testMetric } from '../testing/hook-context.ts';
import { runBuildQueue } from './build-queue.ts';

const noDb = {} as Database;
const hashes = { definitionHash: 'd', inputHash: 'i', upstream: {} };

/** a → b → c, a → d; e alone. */
function graph(): { steps: BuildStep[]; upstream: Map<Metric, Metric[]>; downstream: Map<Metric, Metric[]> } {
  const m = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, testMetric({ name: n, sql: 'SELECT 1' })])) as Record<string, Metric>;
  const upstream = new Map<Metric, Metric[]>([[m.a!, []], [m.b!, [m.a!]], [m.c!, [m.b!]], [m.d!, [m.a!]], [m.e!, []]]);
  const downstream = new Map<Metric, Metric[]>([[m.a!, [m.b!, m.d!]], [m.b!, [m.c!]], [m.c!, []], [m.d!, []], [m.e!, []]]);
  const steps = Object.values(m).map((metric): BuildStep => ({ action: 'build', metric, reason: 'new', hashes }));
  return { steps, upstream, downstream };
}

async function drain(steps: BuildStep[], g: ReturnType<typeof graph>, options: { threads?: number; fail?: string[]; signal?: AbortSignal; abortAfter?: string } = {}) {
  const log: string[] = [];
  const controller = new AbortController();
  const signal = options.signal ?? controller.signal;
  let running = 0;
  let peak = 0;
  await runBuildQueue(steps, { threads: options.threads ?? 1, signal, connect: async () => noDb, upstream: g.upstream, downstream: g.downstream }, {
    async run(step) {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      const failed = options.fail?.includes(step.metric.name);
      log.push(`${step.metric.name}:${failed ? 'failed' : step.action}`);
      if (options.abortAfter === step.metric.name) controller.abort();
      return failed ? `upstream failed: ${step.metric.name}` : undefined;
    },
    skip(step, reason) {
      log.push(`${step.metric.name}:skip(${reason})`);
    },
  });
  return { log, peak };
}

describe('runBuildQueue', () => {
  it('runs every step after its upstream, the ready ones in plan order, when one thread', async () => {
    const g = graph();
    expect((await drain(g.steps, g)).log).toEqual(['a:build', 'b:build', 'c:build', 'd:build', 'e:build']);
  });

  it('runs independent steps at once with two threads, never a step before its upstream', async () => {
    const g = graph();
    const { log, peak } = await drain(g.steps, g, { threads: 2 });
    expect(peak).toBe(2);
    const at = (n: string): number => log.findIndex((l) => l.startsWith(`${n}:`));
    expect(at('a')).toBeLessThan(at('b'));
    expect(at('b')).toBeLessThan(at('c'));
    expect(at('a')).toBeLessThan(at('d'));
    expect(log).toHaveLength(5);
  });

  it('skips the downstream of a failed build with the root cause, and builds the rest', async () => {
    const g = graph();
    expect((await drain(g.steps, g, { fail: ['b'] })).log).toEqual(['a:build', 'b:failed', 'c:skip(upstream failed: b)', 'd:build', 'e:build']);
    expect((await drain(g.steps, g, { fail: ['a'] })).log).toEqual(['a:failed', 'b:skip(upstream failed: a)', 'c:skip(upstream failed: a)', 'd:skip(upstream failed: a)', 'e:build']);
  });

  it('stops building once cancelled: the rest is skipped as cancelled, its downstream as blocked', async () => {
    const g = graph();
    expect((await drain(g.steps, g, { abortAfter: 'a' })).log).toEqual(['a:build', 'b:skip(cancelled)', 'c:skip(upstream failed: b)', 'd:skip(cancelled)', 'e:skip(cancelled)']);
  });

  it('hands planned skips over as they are, and lets their `blocks` skip the downstream', async () => {
    const g = graph();
    const [a, ...rest] = g.steps;
    const skipped: BuildStep = { action: 'skip', metric: a!.metric, reason: 'invalid', result: { name: 'a', file: 'a', status: 'failed', errors: [], warnings: [] }, blocks: 'upstream failed: a' };
    expect((await drain([skipped, ...rest], g)).log).toEqual(['a:skip', 'b:skip(upstream failed: a)', 'c:skip(upstream failed: a)', 'd:skip(upstream failed: a)', 'e:build']);
  });
});
