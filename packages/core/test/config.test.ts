import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_SEARCH_PLACES, ConfigError, loadConfig } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const forms: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'p', metrics: { metricsDir: 'from-package-json' } }),
  '.metricsrc': 'metricsDir: from-rc\n',
  '.metricsrc.json': JSON.stringify({ metricsDir: 'from-rc-json' }),
  '.metricsrc.yaml': 'metricsDir: from-rc-yaml\n',
  'metrics.config.json': JSON.stringify({ metricsDir: 'from-json' }),
  'metrics.config.yaml': 'metricsDir: from-yaml\n',
  'metrics.config.yml': 'metricsDir: from-yml\n',
  'metrics.config.js': "export default { metricsDir: 'from-js' };\n",
  'metrics.config.mjs': "export default { metricsDir: 'from-mjs' };\n",
  'metrics.config.cjs': "module.exports = { metricsDir: 'from-cjs' };\n",
  'metrics.config.ts': "import { defineConfig } from '@duckmetrics/core';\nconst dir: string = 'from-ts';\nexport default defineConfig({ metricsDir: dir });\n",
  'metrics.config.mts': "import { defineConfig } from '@duckmetrics/core';\nexport default defineConfig({ metricsDir: 'from-mts' as string });\n",
};

describe('config discovery', () => {
  for (const [file, content] of Object.entries(forms)) {
    it(`finds ${file}`, async () => {
      project = await projectDir({ [file]: content });
      const config = await loadConfig({ cwd: project.dir });
      expect(config.configFile).toBe(project.path(file));
      expect(path.basename(config.metricsDir)).toMatch(/^from-/);
      expect(config.plugins.map((p) => p.name)).toEqual(['csv', 'validate-sql']);
    });
  }

  // Without an entry named like a search place, cosmiconfig is not loaded at all: every place must still be found.
  const contentFor = (file: string, dir: string): string => {
    if (file === 'package.json') return JSON.stringify({ name: 'p', metrics: { metricsDir: dir } });
    if (/\.(c)js$/.test(file)) return `module.exports = { metricsDir: '${dir}' };\n`;
    if (/\.(m?js|m?ts)$/.test(file)) return `export default { metricsDir: '${dir}' };\n`;
    if (file.endsWith('.json')) return JSON.stringify({ metricsDir: dir });
    return `metricsDir: ${dir}\n`;
  };
  for (const file of CONFIG_SEARCH_PLACES) {
    it(`finds ${file} beside other files`, async () => {
      project = await projectDir({ [file]: contentFor(file, 'found'), 'README.md': '# p\n', 'metrics.duckdb.bak': '', 'data/x.csv': 'a\n1\n' });
      const config = await loadConfig({ cwd: project.dir });
      expect(config.configFile).toBe(project.path(file));
      expect(path.basename(config.metricsDir)).toBe('found');
    });
  }

  it('uses defaults beside files that only look like configs, and still reports a broken one', async () => {
    project = await projectDir({ 'metrics.config.json.orig': '{', 'my.metricsrc': '{', 'package.json': JSON.stringify({ name: 'p' }), 'metrics/a.yaml': 'x: 1\n' });
    const config = await loadConfig({ cwd: project.dir });
    expect(config.configFile).toBeUndefined();
    expect(path.basename(config.metricsDir)).toBe('metrics');
    await project.cleanup();
    project = await projectDir({ 'metrics.config.json': '{ "database": ' });
    await expect(loadConfig({ cwd: project.dir })).rejects.toMatchObject({ name: 'ConfigError', file: project.path('metrics.config.json') });
  });

  it('uses defaults without a config file, relative to the project', async () => {
    project = await projectDir({});
    const config = await loadConfig({ cwd: project.dir });
    expect(config).toMatchObject({ root: project.dir, database: project.path('metrics.duckdb'), metricsDir: project.path('metrics') });
    expect(config.configFile).toBeUndefined();
  });

  it('resolves paths against the config file folder', async () => {
    project = await projectDir({ 'conf/metrics.config.json': JSON.stringify({ database: 'db/x.duckdb' }) });
    const config = await loadConfig({ cwd: project.dir, configFile: 'conf/metrics.config.json' });
    expect(config.database).toBe(project.path('conf', 'db', 'x.duckdb'));
  });

  it('names the file of a broken config', async () => {
    for (const [file, content] of [
      ['metrics.config.json', '{ "database": '],
      ['metrics.config.ts', 'export default {{ nope'],
      ['metrics.config.yaml', 'database: [unclosed\n'],
    ] as const) {
      project = await projectDir({ [file]: content });
      const error = await loadConfig({ cwd: project.dir }).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
      expect((error as ConfigError).file, file).toBe(project.path(file));
      await project.cleanup();
    }
  });

  it('rejects wrong types with the key', async () => {
    project = await projectDir({ 'metrics.config.json': JSON.stringify({ database: 42 }) });
    await expect(loadConfig({ cwd: project.dir })).rejects.toThrow(/at "database": database must be a path string/);
  });
});
