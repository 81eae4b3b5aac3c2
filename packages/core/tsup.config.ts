import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
  define: { __DUCKMETRICS_CORE_VERSION__: JSON.stringify(version) },
  external: ['@duckmetrics/plugin-csv', '@duckmetrics/plugin-validate-sql'],
  // Bundled and tree-shaken (the packages stay dependencies, for their types): importing core went from 42-62 ms
  // to 29-42 ms a process. The CommonJS ones are bundled apart and required on first use (scripts/bundle-vendor.mjs).
  noExternal: ['valibot', 'croner', 'mitt'],
});
