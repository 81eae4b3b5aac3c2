#!/usr/bin/env node
// The `duckmetrics` command npm links: it runs the build (dist/bin.js), or says how to make it when it is missing.
// It is committed (not built) so that `npm ci` on a fresh clone links node_modules/.bin/duckmetrics: npm links a
// bin only if its file exists at install time, and dist/ does not exist before `npm run build`.
import { existsSync } from 'node:fs';

const build = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(build)) {
  process.stderr.write('duckmetrics is not built yet (packages/cli/dist/bin.js is missing): run npm run build first\n');
  process.exit(2);
}
await import(build.href);
