// The plugin driver: owns how each hook kind runs, sorts plugins once per hook, and attributes every failure.
import { PluginError } from '../errors.ts';
import type { HookName, HookOrder, Plugin, PluginHooks } from './plugin.ts';

/** How a hook runs: every plugin in order, the first that returns a value, or every plugin in reverse order. */
export type HookKind = 'sequential' | 'first' | 'reverse';

/**
 * The kind of each hook, as a type: what `createPluginDriver`'s runners are typed over. `HOOK_KINDS` must satisfy
 * it, and it must name every hook, so the two cannot drift apart.
 */
export interface HookKinds extends Record<HookName, HookKind> {
  readonly loadSources: 'sequential';
  readonly validate: 'sequential';
  readonly materialize: 'first';
  readonly clean: 'reverse';
}

/**
 * How each hook runs: part of its type, not a call-site choice. Every hook name must appear, so adding a hook
 * without saying how it runs is a compile error, and the driver's runners only accept hooks of their kind.
 * - `sequential`: every plugin, in order; each result (or error) collected.
 * - `first`: plugins in order until one returns a value.
 * - `reverse`: every plugin in reverse order, always; errors gathered.
 *
 * @example
 * ```ts
 * HOOK_KINDS.materialize; // 'first': the first plugin that returns { rows } builds the metric
 * ```
 */
export const HOOK_KINDS: Record<HookName, HookKind> = {
  loadSources: 'sequential',
  validate: 'sequential',
  materialize: 'first',
  clean: 'reverse',
} satisfies HookKinds;

/** The hook names of one kind (`HooksOf<'first'>` is `'materialize'`). */
export type HooksOf<K extends HookKind> = { [H in HookName]: HookKinds[H] extends K ? H : never }[HookName];

type Args<H extends HookName> = Parameters<PluginHooks[H]>;
type Value<H extends HookName> = Awaited<ReturnType<PluginHooks[H]>>;

/** What one plugin's call of a sequential hook came to: its value, or the error it raised (attributed). */
export type HookOutcome<H extends HookName> = { plugin: Plugin; value: Value<H>; error?: undefined } | { plugin: Plugin; value?: undefined; error: PluginError };

/**
 * Runs the plugins' hooks, each the way its kind says. Made once per engine session; plugins are sorted once per
 * hook (`pre`, unordered, `post`; registration order inside each).
 *
 * @example
 * ```ts
 * const driver = createPluginDriver(config.plugins);
 * const built = await driver.hookFirst('materialize', [metric, ctx]); // { plugin, value } | undefined
 * await driver.hookSequential('validate', [metric, ctx]); // a type error for 'materialize': it is a 'first' hook
 * ```
 */
export interface PluginDriver {
  /** The plugins implementing `hook`, in the order the driver calls them. */
  plugins(hook: HookName): readonly Plugin[];
  /**
   * Calls every plugin's hook in order. A plugin that throws does not stop the others: its outcome carries the
   * `PluginError`. `each` is awaited after every plugin, before the next one starts.
   */
  hookSequential<H extends HooksOf<'sequential'>>(hook: H, args: Args<H>, each?: (outcome: HookOutcome<H>) => void | Promise<void>): Promise<Array<HookOutcome<H>>>;
  /** Calls plugins in order until one returns a value other than `undefined`; a thrown error stops it and rejects. */
  hookFirst<H extends HooksOf<'first'>>(hook: H, args: Args<H>): Promise<{ plugin: Plugin; value: Exclude<Value<H>, void | undefined | null> } | undefined>;
  /** Calls every plugin's hook in reverse order, always; resolves to the errors raised. */
  hookReverse<H extends HooksOf<'reverse'>>(hook: H, args: Args<H>): Promise<PluginError[]>;
}

interface Handler {
  plugin: Plugin;
  fn: (...args: unknown[]) => unknown;
}

/**
 * Creates the driver for a list of plugins.
 *
 * @example
 * ```ts
 * const errors = await createPluginDriver([csv()]).hookReverse('clean', [ctx, { all: false }]);
 * ```
 */
export function createPluginDriver(plugins: readonly Plugin[]): PluginDriver {
  const sorted = new Map<HookName, Handler[]>();
  const handlers = (hook: HookName): Handler[] => {
    let list = sorted.get(hook);
    if (!list) {
      list = sortHandlers(plugins, hook);
      if (HOOK_KINDS[hook] === 'reverse') list.reverse();
      sorted.set(hook, list);
    }
    return list;
  };
  return {
    plugins: (hook) => handlers(hook).map((h) => h.plugin),
    async hookSequential(hook, args, each) {
      const outcomes: Array<HookOutcome<typeof hook>> = [];
      for (const handler of handlers(hook)) {
        let outcome: HookOutcome<typeof hook>;
        try {
          outcome = { plugin: handler.plugin, value: (await callHandler(handler, hook, args)) as Value<typeof hook> };
        } catch (error) {
          outcome = { plugin: handler.plugin, error: error as PluginError };
        }
        outcomes.push(outcome);
        await each?.(outcome);
      }
      return outcomes;
    },
    async hookFirst(hook, args) {
      for (const handler of handlers(hook)) {
        const value = (await callHandler(handler, hook, args)) as Value<typeof hook>;
        if (value !== undefined && value !== null) return { plugin: handler.plugin, value: value as Exclude<Value<typeof hook>, void | undefined | null> };
      }
      return undefined;
    },
    async hookReverse(hook, args) {
      const errors: PluginError[] = [];
      for (const handler of handlers(hook)) {
        try {
          await callHandler(handler, hook, args);
        } catch (error) {
          errors.push(error as PluginError);
        }
      }
      return errors;
    },
  };
}

function sortHandlers(plugins: readonly Plugin[], hook: HookName): Handler[] {
  const rank = (order: HookOrder | undefined): number => (order === 'pre' ? 0 : order === 'post' ? 2 : 1);
  const entries: Array<Handler & { rank: number }> = [];
  for (const plugin of plugins) {
    const value = plugin[hook] as ((...a: unknown[]) => unknown) | { order?: HookOrder; handler: (...a: unknown[]) => unknown } | undefined;
    if (!value) continue;
    if (typeof value === 'function') entries.push({ plugin, fn: value, rank: 1 });
    else entries.push({ plugin, fn: value.handler, rank: rank(value.order) });
  }
  return entries.sort((a, b) => a.rank - b.rank).map(({ plugin, fn }) => ({ plugin, fn }));
}

/**
 * The one place a hook is called: `this` is the plugin, and whatever it throws (or rejects with) comes back as a
 * `PluginError` naming the plugin and hook, with the original as `cause`.
 */
async function callHandler(handler: Handler, hook: HookName, args: readonly unknown[]): Promise<unknown> {
  try {
    return await handler.fn.apply(handler.plugin, args as unknown[]);
  } catch (error) {
    throw error instanceof PluginError ? error : new PluginError(handler.plugin.name, hook, error);
  }
}
