import { PluginError } from '../errors.ts';
import type { HookName, HookOrder, Plugin, PluginHooks } from './plugin.ts';

/**
 * How each hook runs: part of its type, not a call-site choice. A record over the hook names, so adding a hook
 * without saying how it runs is a compile error.
 * - `sequential`: every plugin, in order; results collected.
 * - `first`: plugins in order until one returns a value.
 * - `reverse`: every plugin in reverse order, always; errors gathered.
 *
 * @example
 * ```ts
 * HOOK_KINDS.materialize; // 'first': the first plugin that returns { rows } builds the metric
 * ```
 */
export const HOOK_KINDS: Record<HookName, 'sequential' | 'first' | 'reverse'> = {
  loadSources: 'sequential',
  validate: 'sequential',
  materialize: 'first',
  clean: 'reverse',
};

type HookFn<K extends HookName> = PluginHooks[K];

/** The plugins that implement `hook`, in run order (`pre`, unordered, `post`; registration order inside each). */
export function pluginsFor<K extends HookName>(plugins: readonly Plugin[], hook: K): Array<{ plugin: Plugin; handler: HookFn<K> }> {
  const rank = (order: HookOrder | undefined): number => (order === 'pre' ? 0 : order === 'post' ? 2 : 1);
  const entries: Array<{ plugin: Plugin; handler: HookFn<K>; rank: number }> = [];
  for (const plugin of plugins) {
    const hookValue = plugin[hook] as HookFn<K> | { order?: HookOrder; handler: HookFn<K> } | undefined;
    if (!hookValue) continue;
    if (typeof hookValue === 'function') entries.push({ plugin, handler: hookValue, rank: 1 });
    else entries.push({ plugin, handler: hookValue.handler, rank: rank(hookValue.order) });
  }
  const ordered = entries.sort((a, b) => a.rank - b.rank);
  return HOOK_KINDS[hook] === 'reverse' ? ordered.reverse() : ordered;
}

/**
 * Calls one plugin's hook. Every hook call goes through here: whatever it throws (or rejects with) comes back as
 * a `PluginError` naming the plugin and hook, with the original as `cause`.
 */
export async function callHook<K extends HookName>(
  plugin: Plugin,
  hook: K,
  handler: HookFn<K>,
  args: Parameters<HookFn<K>>,
): Promise<Awaited<ReturnType<HookFn<K>>>> {
  try {
    return (await (handler as (...a: unknown[]) => unknown).apply(plugin, args)) as Awaited<ReturnType<HookFn<K>>>;
  } catch (error) {
    throw error instanceof PluginError ? error : new PluginError(plugin.name, hook, error);
  }
}
