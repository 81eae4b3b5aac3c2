// Unit tests of the pure build plan: no DuckDB, only values in and steps out.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { StateView } from '../state/state-view.ts';
import { testMetric } from '../testing/hook-context.ts';
import { planBuild } from './build-plan.ts';
import type { BuildPlan, BuildRequest, BuildStep } from './build-plan.ts';
import { definitionHash, inputHash } from './hashing.ts';
import type { Project } from './load-project.ts';

/** A project a → b → c (c reads b, b reads a and the source `orders`), plus d on its own. */
function project(errors: Record<string, Diagnostic[]> = {}, schedule = '0 6 * * *'): { project: Project; m: Record<string, Metric> } {
  const m = Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, testMetric({ name: n, sql: `SELECT ${n}`, schedule })])) as Record<string, Metric>;
  const upstream = new Map<Metric, Metric[]>([[m.a!, []], [m.b!, [m.a!]], [m.c!, [m.b!]], [m.d!, []]]);
  const downstream = new Map<Metric, Metric[]>([[m.a!, [m.b!]], [m.b!, [m.c!]], [m.c!, []], [m.d!, []]]);
  const reads = new Map<Metric, string[]>([[m.a!, ['orders']], [m.b!, ['a', 'orders']], [m.c!, ['b']], [m.d!, []]]);
  const entries = new Map(Object.values(m).map((x) => {
    const errs = errors[x.name] ?? [];
    return [x.file, { name: x.name, file: x.file, status: errs.length > 0 ? ('invalid' as const) : ('valid' as const), errors: errs, warnings: [] }];
  }));
  entries.set('metrics/broken.yaml', { name: null as unknown as string, file: 'metrics/broken.yaml', status: 'invalid', errors: [{ severity: 'error', code: 'YAML_SYNTAX', message: 'bad' }], warnings: [] });
  return { project: { entries, order: [m.a!, m.b!, m.d!, m.c!], cycles: new Map(), parsed: new Map(), facts: new Map(), upstream, downstream, reads }, m };
}

const emptyState = (): StateView => ({ tables: new Map(), metrics: new Map(), sources: new Map([['orders', { name: 'orders', fingerprint: 'sha:orders', rows: 10, file: 'data/orders.csv', loadedAt: null, plugin: 'csv', fileSize: null, fileMtimeMs: null }]]), lastCurrent: new Map(), quarantined: new Set() });
const request = (fields: Partial<BuildRequest> = {}): BuildRequest => ({ fullRefresh: false, due: false, ...fields });
const plan = (p: Project, state: StateView, req = request(), now = new Date('2026-12-01T12:00:00Z')): BuildPlan => planBuild({ project: p, state, request: req, now, timezone: 'UTC' });
const summary = (steps: BuildStep[]): string[] => steps.map((s) => `${s.metric.name}:${s.action}:${s.reason}`);

/** The state after building every step of `built` (what a successful run records). */
function stateAfter(built: BuildPlan, base = emptyState()): StateView {
  const tables = new Map(base.tables);
  const metrics = new Map(base.metrics);
  for (const s of built.steps) {
    if (s.action !== 'build') continue;
    tables.set(s.metric.name, { name: s.metric.name, type: 'table' });
    metrics.set(s.metric.name, { name: s.metric.name, inputHash: s.hashes.inputHash, rows: 3 });
  }
  return { ...base, tables, metrics };
}

describe('planBuild', () => {
  it('builds everything in build order on an empty database, with hashes over definition and upstream fingerprints', () => {
    const { project: p, m } = project();
    const built = plan(p, emptyState());
    expect(summary(built.steps)).toEqual(['a:build:new', 'b:build:new', 'd:build:new', 'c:build:new']);
    const [a, b] = built.steps as Array<Extract<BuildStep, { action: 'build' }>>;
    expect(a!.hashes.upstream).toEqual({ orders: 'sha:orders' });
    expect(a!.hashes.inputHash).toBe(inputHash(definitionHash(m.a!, undefined), { orders: 'sha:orders' }));
    expect(b!.hashes.upstream).toEqual({ a: a!.hashes.inputHash, orders: 'sha:orders' });
    expect(built.selected).toEqual(['a', 'b', 'd', 'c']);
    expect(built.unparsed.map((e) => e.file)).toEqual(['metrics/broken.yaml']);
  });

  it('skips what did not change, with the stored rows, and rebuilds the downstream of a changed source', () => {
    const { project: p } = project();
    const after = stateAfter(plan(p, emptyState()));
    const again = plan(p, after);
    expect(summary(again.steps)).toEqual(['a:skip:up to date', 'b:skip:up to date', 'd:skip:up to date', 'c:skip:up to date']);
    expect(again.steps[0]).toMatchObject({ result: { status: 'skipped', reason: 'up to date', rows: 3 } });
    const changed = { ...after, sources: new Map([['orders', { name: 'orders', fingerprint: 'sha:new', rows: 11, file: null, loadedAt: null, plugin: 'csv', fileSize: null, fileMtimeMs: null }]]) };
    expect(summary(plan(p, changed).steps)).toEqual(['a:build:changed', 'b:build:changed', 'd:skip:up to date', 'c:build:changed']);
    expect(summary(plan(p, after, request({ fullRefresh: true })).steps)).toEqual(['a:build:full refresh', 'b:build:full refresh', 'd:build:full refresh', 'c:build:full refresh']);
  });

  it('rebuilds a metric whose table is gone even when the state says it is current', () => {
    const { project: p } = project();
    const after = stateAfter(plan(p, emptyState()));
    const tables = new Map(after.tables);
    tables.delete('b');
    expect(summary(plan(p, { ...after, tables }).steps)).toEqual(['a:skip:up to date', 'b:build:new', 'd:skip:up to date', 'c:skip:up to date']);
  });

  it('keeps unselected metrics as they are, and blocks the downstream of one never built', () => {
    const { project: p } = project();
    const none = plan(p, emptyState(), request({ select: ['c'] }));
    expect(summary(none.steps)).toEqual(['a:skip:not selected', 'b:skip:not selected', 'd:skip:not selected', 'c:skip:upstream not built: b']);
    expect(none.selected).toEqual(['c']);
    const after = stateAfter(plan(p, emptyState()));
    expect(summary(plan(p, after, request({ select: ['c'], fullRefresh: true })).steps)).toEqual(['a:skip:not selected', 'b:skip:not selected', 'd:skip:not selected', 'c:build:full refresh']);
    expect(summary(plan(p, emptyState(), request({ select: ['+c'] })).steps)).toEqual(['a:build:new', 'b:build:new', 'd:skip:not selected', 'c:build:new']);
  });

  it('fails an invalid metric and skips its downstream with the root cause', () => {
    const bad: Diagnostic = { severity: 'error', code: 'SQL_BINDER', message: 'no column x' };
    const upstreamInvalid: Diagnostic = { severity: 'error', code: 'UPSTREAM_INVALID', message: 'reads a' };
    const { project: p } = project({ a: [bad], b: [upstreamInvalid], c: [upstreamInvalid] });
    const steps = plan(p, emptyState()).steps;
    expect(summary(steps)).toEqual(['a:skip:invalid', 'b:skip:upstream failed: a', 'd:build:new', 'c:skip:upstream failed: a']);
    expect(steps[0]).toMatchObject({ result: { status: 'failed', reason: 'invalid', error: bad, errors: [bad] }, blocks: 'upstream failed: a' });
  });

  it('builds only due metrics with --due, and every due metric even when unchanged', () => {
    const { project: p } = project({}, '0 6 * * *');
    const after = stateAfter(plan(p, emptyState()));
    const lastCurrent = new Map(['a', 'b', 'c', 'd'].map((n) => [n, new Date('2026-12-01T07:00:00Z')]));
    lastCurrent.set('d', new Date('2026-11-30T07:00:00Z'));
    const due = plan(p, { ...after, lastCurrent }, request({ due: true }));
    expect(summary(due.steps)).toEqual([
      'a:skip:not due (next 2026-12-02T06:00:00.000Z)', 'b:skip:not due (next 2026-12-02T06:00:00.000Z)', 'd:build:due', 'c:skip:not due (next 2026-12-02T06:00:00.000Z)',
    ]);
  });

  it('is a pure function: the same input gives the same plan, and the input is left as it was', () => {
    const { project: p } = project();
    const state = emptyState();
    const before = JSON.stringify([...state.sources]);
    expect(summary(plan(p, state).steps)).toEqual(summary(plan(p, state).steps));
    expect(JSON.stringify([...state.sources])).toBe(before);
    expect(state.tables.size).toBe(0);
  });
});
