// Writes dist/vendor/: single-file CommonJS copies of the two CommonJS dependencies core requires on first use
// (src/vendor.ts). Loading `@duckdb/node-api` from its 60-odd files took 95-105 ms a process, and `yaml` 33-51 ms;
// one file each, 55-65 ms and 15-24 ms (docs/benchmarks.md). The native binding stays a package of its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const bundles = [
  { pkg: '@duckdb/node-api', out: 'duckdb-node-api.cjs', external: ['@duckdb/node-bindings'] },
  { pkg: 'yaml', out: 'yaml.cjs', external: [] },
];
for (const { pkg, out, external } of bundles) {
  const { version, license } = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'));
  await build({
    entryPoints: [require.resolve(pkg)],
    outfile: `dist/vendor/${out}`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    legalComments: 'inline',
    banner: { js: `// ${pkg} ${version} (${license}), bundled into one file by scripts/bundle-vendor.mjs.` },
    logLevel: 'warning',
  });
}
