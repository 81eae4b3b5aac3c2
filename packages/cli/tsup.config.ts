import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/bin.ts', 'src/index.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  splitting: true,
  // Every command loads these two: from the bundle they cost ~3.5 ms less of `--help` (README, Libraries).
  noExternal: ['cac', 'picocolors'],
  define: { __DUCKMETRICS_VERSION__: JSON.stringify(version) },
  // The help page, as cac prints it (`--cwd .` keeps bin.ts from answering from the file), for `--help` to print
  // without loading the command table and cac (src/bin.ts).
  onSuccess: 'node dist/bin.js --cwd . --help > dist/help.txt',
});
