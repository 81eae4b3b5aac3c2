import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '@duckmetrics/core';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

// Core requires @duckdb/node-api and yaml from the one-file bundles the build writes (src/vendor.ts).
const require = createRequire(import.meta.url);
const coreRoot = path.dirname(require.resolve('@duckmetrics/core/package.json'));
const json = (file: string): Record<string, any> => JSON.parse(readFileSync(file, 'utf8'));
const installed = (pkg: string): string => json(require.resolve(`${pkg}/package.json`, { paths: [coreRoot] })).version;
const banner = (file: string): string => readFileSync(path.join(coreRoot, 'dist', 'vendor', file), 'utf8').split('\n', 1)[0]!;

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('the vendored dependencies', () => {
  it('are the installed versions, and the native binding is pinned to what @duckdb/node-api asks for', () => {
    expect(banner('duckdb-node-api.cjs')).toContain(`@duckdb/node-api ${installed('@duckdb/node-api')} `);
    expect(banner('yaml.cjs')).toContain(`yaml ${installed('yaml')} `);
    const nodeApi = json(require.resolve('@duckdb/node-api/package.json', { paths: [coreRoot] }));
    const core = json(path.join(coreRoot, 'package.json'));
    expect(core.dependencies['@duckdb/node-bindings']).toBe(nodeApi.dependencies['@duckdb/node-bindings']);
    expect(core.dependencies['@duckdb/node-api']).toBe(nodeApi.version);
  });

  it('are what a run loads, not the packages file by file', async () => {
    project = await projectDir({
      'data/orders.csv': 'id,amount\n1,2.5\n',
      'metrics/total.yaml': metricYaml({ metric_name: 'total', sql: 'SELECT sum(amount) AS total FROM orders' }),
    });
    const engine = createEngine({ cwd: project.dir });
    try {
      await engine.load();
      const result = await engine.run();
      expect(result.ok).toBe(true);
    } finally {
      await engine.close();
    }
    const loaded = Object.keys(require.cache);
    expect(loaded).toContain(path.join(coreRoot, 'dist', 'vendor', 'duckdb-node-api.cjs'));
    expect(loaded).toContain(path.join(coreRoot, 'dist', 'vendor', 'yaml.cjs'));
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](@duckdb[\\/]node-api|yaml)[\\/]/.test(f))).toEqual([]);
  });
});
