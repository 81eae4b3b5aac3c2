// How the testing entry reaches the engine: by package name, so there is one copy of core.
/** The public API of `@duckmetrics/core`, as the testing entry sees it. */
export type Core = typeof import('../index.ts');

// The testing entry imports core by its package name at run time instead of bundling the engine a second time:
// one copy of the engine (same `PluginError` class, same config loader) whether a test imports
// `@duckmetrics/core` or `@duckmetrics/core/testing`. The name is in a variable so the bundler leaves it alone.
const CORE_PACKAGE = '@duckmetrics/core';

/** Imports `@duckmetrics/core` (a package may import itself by name through its `exports`). */
export function loadCore(): Promise<Core> {
  return import(CORE_PACKAGE) as Promise<Core>;
}
