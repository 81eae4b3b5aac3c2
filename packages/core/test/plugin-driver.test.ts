// The plugin driver: each hook kind's runner, ordering, attribution, and (checked by tsc) the runner/kind pairing.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createPluginDriver, definePlugin, PluginError } from '@duckmetrics/core';
import type { HookContext, HooksOf, Metric, Plugin } from '@duckmetrics/core';
import { hookContext, testMetric } from '@duckmetrics/core/testing';

const calls: string[] = [];
const tracer = (name: string, order?: 'pre' | 'post'): Plugin =>
  definePlugin({
    name,
    validate: order ? { order, handler: () => void calls.push(`validate:${name}`) } : () => void calls.push(`validate:${name}`),
    clean: () => void calls.push(`clean:${name}`),
  });

describe('createPluginDriver', () => {
  it('runs sequential hooks pre → unordered → post, registration order inside each', async () => {
    calls.length = 0;
    const driver = createPluginDriver([tracer('a', 'post'), tracer('b'), tracer('c', 'pre'), tracer('d'), tracer('e', 'pre')]);
    const ctx = await hookContext();
    await driver.hookSequential('validate', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx]);
    expect(calls).toEqual(['validate:c', 'validate:e', 'validate:b', 'validate:d', 'validate:a']);
    expect(driver.plugins('validate').map((p) => p.name)).toEqual(['c', 'e', 'b', 'd', 'a']);
    await ctx.close();
  });

  it('runs reverse hooks in reverse order, always, and gathers the errors with their plugin and hook', async () => {
    calls.length = 0;
    const broken = definePlugin({ name: 'broken', clean: () => { throw new Error('disk gone'); } });
    const driver = createPluginDriver([tracer('a'), broken, tracer('b')]);
    const ctx = await hookContext();
    const errors = await driver.hookReverse('clean', [ctx, { all: false }]);
    expect(calls).toEqual(['clean:b', 'clean:a']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PluginError);
    expect(errors[0]).toMatchObject({ code: 'PLUGIN_ERROR', plugin: 'broken', hook: 'clean' });
    expect((errors[0]!.cause as Error).message).toBe('disk gone');
    await ctx.close();
  });

  it('keeps going after a failing sequential hook and hands each outcome over before the next plugin runs', async () => {
    const seen: string[] = [];
    const driver = createPluginDriver([
      definePlugin({ name: 'one', validate: () => [{ code: 'A', message: 'a' }] }),
      definePlugin({ name: 'two', validate: async () => { throw new TypeError('bad'); } }),
      definePlugin({ name: 'three', validate: () => { seen.push('three ran'); return []; } }),
    ]);
    const ctx = await hookContext();
    const outcomes = await driver.hookSequential('validate', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx], (o) => void seen.push(`${o.plugin.name}:${o.error ? o.error.hook : o.value?.length}`));
    expect(seen).toEqual(['one:1', 'two:validate', 'three ran', 'three:0']);
    expect(outcomes.map((o) => o.plugin.name)).toEqual(['one', 'two', 'three']);
    expect(outcomes[1]!.error).toMatchObject({ plugin: 'two', hook: 'validate' });
    await ctx.close();
  });

  it('stops a first hook at the first plugin that returns a value, with `this` bound to the plugin', async () => {
    const order: string[] = [];
    const pass = definePlugin({ name: 'pass', materialize() { order.push(this.name); return undefined; } });
    const build = definePlugin({ name: 'build', materialize() { order.push(this.name); return { rows: 7 }; } });
    const never = definePlugin({ name: 'never', materialize() { order.push(this.name); return { rows: 1 }; } });
    const ctx = await hookContext();
    const won = await createPluginDriver([pass, build, never]).hookFirst('materialize', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx]);
    expect(won).toMatchObject({ plugin: { name: 'build' }, value: { rows: 7 } });
    expect(order).toEqual(['pass', 'build']);
    expect(await createPluginDriver([pass]).hookFirst('materialize', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx])).toBeUndefined();
    await ctx.close();
  });

  it('rejects a first hook with the PluginError of the plugin that threw', async () => {
    const ctx = await hookContext();
    const driver = createPluginDriver([definePlugin({ name: 'x', materialize: () => Promise.reject(new Error('nope')) })]);
    await expect(driver.hookFirst('materialize', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx])).rejects.toMatchObject({ code: 'PLUGIN_ERROR', plugin: 'x', hook: 'materialize' });
    await ctx.close();
  });

  it('sorts the plugins once per hook, not once per call', async () => {
    let reads = 0;
    const plugin = { name: 'counted' } as Plugin;
    Object.defineProperty(plugin, 'validate', { enumerable: true, get: () => { reads++; return () => []; } });
    const driver = createPluginDriver([plugin]);
    const ctx = await hookContext();
    for (let i = 0; i < 5; i++) await driver.hookSequential('validate', [testMetric({ name: 'm', sql: 'SELECT 1 AS x' }), ctx]);
    expect(reads).toBe(1);
    await ctx.close();
  });

  it('only compiles a hook with the runner of its kind', () => {
    expectTypeOf<HooksOf<'sequential'>>().toEqualTypeOf<'loadSources' | 'validate'>();
    expectTypeOf<HooksOf<'first'>>().toEqualTypeOf<'materialize'>();
    expectTypeOf<HooksOf<'reverse'>>().toEqualTypeOf<'clean'>();
    const driver = createPluginDriver([]);
    const metric = {} as Metric;
    const ctx = {} as HookContext;
    const typeErrors = (): void => {
      // @ts-expect-error materialize is a 'first' hook: the sequential runner does not take it
      void driver.hookSequential('materialize', [metric, ctx]);
      // @ts-expect-error validate is 'sequential': the first runner does not take it
      void driver.hookFirst('validate', [metric, ctx]);
      // @ts-expect-error clean is 'reverse'
      void driver.hookSequential('clean', [ctx, { all: true }]);
      // @ts-expect-error loadSources is 'sequential'
      void driver.hookReverse('loadSources', [ctx, { previous: new Map() }]);
      // @ts-expect-error the arguments are the hook's own
      void driver.hookFirst('materialize', [ctx, metric]);
    };
    expect(typeof typeErrors).toBe('function');
  });
});
