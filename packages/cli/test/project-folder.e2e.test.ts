// Where a command runs: a --cwd that is not a folder, a folder that is not a project (no database written there),
// and files in metrics/ that are left out for their extension are each said plainly, with what to do.
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('--cwd', () => {
  it.each([['validate'], ['run'], ['list'], ['setup'], ['init'], ['new', 'x']])('%s --cwd to a folder that does not exist: USAGE naming it', async (...command) => {
    project = await projectDir({});
    const r = await runCli([...command, '--cwd', 'no-such-folder'], project.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error USAGE --cwd no-such-folder: there is no folder .*no-such-folder$/m);
    expect(r.stderr).toContain('hint: check the path');
    expect(r.stderr).toContain('duckmetrics init no-such-folder');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(project.dir)).toEqual([]);
  });

  it('--cwd to a file says it is a file; --json gives the error as JSON', async () => {
    project = await projectDir({ 'notes.txt': 'hello\n' });
    const r = await runCli(['validate', '--cwd', 'notes.txt'], project.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a file, not a folder');
    const json = await runCli(['run', '--cwd', 'notes.txt', '--json'], project.dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });
});

describe('a folder with no project', () => {
  it.each([['validate'], ['run'], ['build'], ['list'], ['setup'], ['test'], ['history'], ['clean']])('%s writes no database and says to start with duckmetrics init', async (command) => {
    project = await projectDir({ 'notes.txt': 'not a project\n' });
    const r = await runCli([command], project.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error USAGE no duckmetrics project in .*: no metrics\.config\.ts, no metrics\/ and no data\/ folder/m);
    expect(r.stderr).toContain('hint: start one with duckmetrics init');
    expect(readdirSync(project.dir)).toEqual(['notes.txt']);
  });

  it('a folder with only data/, or only a config, is a project', async () => {
    project = await projectDir({ 'data/orders.csv': 'id\n1\n' });
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    await project.cleanup();
    project = await projectDir({ 'metrics.config.json': '{ "metricsDir": "defs" }\n' });
    const r = await runCli(['validate'], project.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no metric files found');
  });
});

describe('metric files left out for their extension', () => {
  it('warns for each, naming the file and the extensions that are read; .YAML and .yml are read', async () => {
    project = await projectDir({
      'metrics/a.YAML': metricYaml({ metric_name: 'a', sql: 'SELECT 1 AS x' }),
      'metrics/b.yml': metricYaml({ metric_name: 'b', sql: 'SELECT 2 AS x' }),
      'metrics/c.sql': 'SELECT 3 AS x\n',
      'metrics/nested/d.json': '{}\n',
      'metrics/notes.md': '# not a lookalike\n',
    });
    const r = await runCli(['validate'], project.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 valid');
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning'));
    expect(warnings).toEqual([
      'warning metrics/c.sql is not read: metric files end in .yaml or .yml (one metric per file, its SQL under sql:)',
      'warning metrics/nested/d.json is not read: metric files end in .yaml or .yml (one metric per file, its SQL under sql:)',
    ]);
    const json = await runCli(['validate', '--json'], project.dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true });
    expect(json.stderr).toContain('metrics/c.sql is not read');
    expect(existsSync(project.path('metrics.duckdb'))).toBe(true);
  });
});
