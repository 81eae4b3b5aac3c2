// `defineConfig` and `definePlugin`: identity functions that exist for types.
import type { UserConfig } from './plugins/plugin.ts';
import type { Plugin } from './plugins/plugin.ts';

/**
 * Types a config file. Returns its input.
 *
 * @example
 * ```ts
 * // metrics.config.ts
 * import { defineConfig } from '@duckmetrics/core';
 * export default defineConfig({ database: 'metrics.duckdb' });
 * ```
 */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/**
 * Types a plugin. Returns its input. A key that is not `name` or a hook name (a misspelt `lodSources`) is a
 * type error.
 *
 * @example
 * ```ts
 * export const ownerRule = () => definePlugin({
 *   name: 'owner-rule',
 *   validate: (metric) => metric.owner.includes('@') ? [] : [{ code: 'OWNER', message: 'owner must be an email' }],
 * });
 * ```
 */
export function definePlugin<P extends Plugin>(plugin: P & Record<Exclude<keyof P, keyof Plugin>, never>): P {
  return plugin;
}
