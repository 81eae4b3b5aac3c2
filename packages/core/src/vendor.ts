// Core's two CommonJS dependencies, each required on first use from the one-file copy the build writes to
// dist/vendor/ (scripts/bundle-vendor.mjs), or from the package itself when core runs from its sources.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const BUNDLED = { '@duckdb/node-api': 'duckdb-node-api.cjs', yaml: 'yaml.cjs' } as const;

/**
 * Requires `pkg`. Node resolves and reads every file of a package one by one (60-odd for `@duckdb/node-api`):
 * loading it took 95-105 ms a process against 55-65 ms for the bundle, and `yaml` 33-51 ms against 15-24 ms. The
 * bundles are the versions installed when core was built; `@duckdb/node-bindings`, the native part, is not bundled.
 */
export function requireDependency<T>(pkg: keyof typeof BUNDLED): T {
  if (import.meta.url.endsWith('.ts')) return require(pkg) as T;
  const root = path.dirname(require.resolve('@duckmetrics/core/package.json'));
  return require(path.join(root, 'dist', 'vendor', BUNDLED[pkg])) as T;
}
