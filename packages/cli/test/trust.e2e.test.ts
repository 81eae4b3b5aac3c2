// The CLI as a hostile metric file or a careless pipe would have it: control characters in user text never reach
// the terminal raw, and every selector kind that matches nothing is a usage error.
import { afterEach, describe, expect, it } from 'vitest';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';
import { runCli } from './run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

// Escapes that would set the window title, clear the screen, move the cursor, ring the bell, or overwrite a line.
const HOSTILE = ['\x1b]0;pwned\x07', '\x1b[2J', '\x1b[H', '\x07', '\r', '\x1b[1A', '\x9b2J', '\x08'];
const RAW = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/;

function hostileMetric(i: number, text: string): string {
  const q = JSON.stringify(text);
  return [
    `metric_name: m${i}`,
    `description: ${JSON.stringify(`about ${text} this`)}`,
    `owner: ${JSON.stringify(`team${text}`)}`,
    'schedule: "0 6 * * *"',
    `tags: [${q}]`,
    'columns:',
    `  - name: x`,
    `    description: ${q}`,
    'sql: |',
    `  SELECT 1 AS x -- ${text.replace(/\n/g, '')}`,
  ].join('\n');
}

describe('control characters in user text', () => {
  it('are printed as visible escapes by list, show, validate and run', async () => {
    const files: Record<string, string> = { 'data/orders.csv': 'id\n1\n' };
    HOSTILE.forEach((text, i) => (files[`metrics/m${i}.yaml`] = hostileMetric(i, text)));
    files['metrics/bad.yaml'] = `metric_name: bad\nowner: "x\x1b]0;title\x07"\ndescription: d\nschedule: "0 6 * * *"\nsql: SELECT nope\x1b[2J FROM orders\n`;
    project = await projectDir(files);
    expect((await runCli(['setup'], project.dir)).code).toBe(0);
    for (const args of [['validate'], ['run'], ['list'], ...HOSTILE.map((_, i) => ['show', `m${i}`]), ['history'], ['test']]) {
      const out = await runCli(args, project.dir);
      expect(out.stdout, `stdout of ${args.join(' ')}`).not.toMatch(RAW);
      expect(out.stderr, `stderr of ${args.join(' ')}`).not.toMatch(RAW);
      expect(out.stderr).not.toMatch(/INTERNAL|    at /);
    }
    const shown = await runCli(['show', 'm0'], project.dir);
    expect(shown.stdout).toContain('\\x1b]0;pwned\\x07');
  });
});

describe('selectors that match nothing', () => {
  it.each([['nope'], ['tag:nope'], ['path:metrics/nowhere'], ['+nope+']])('run -s %s exits 2 and builds nothing', async (selector) => {
    project = await projectDir({ 'data/orders.csv': 'id\n1\n', 'metrics/a.yaml': 'metric_name: a\nowner: o\ndescription: d\nschedule: "0 6 * * *"\ntags: [fin]\nsql: SELECT * FROM orders\n' });
    await runCli(['setup'], project.dir);
    const out = await runCli(['run', '-s', selector], project.dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/matches no metric/);
    expect((await runCli(['list', '--json'], project.dir)).stdout).not.toMatch(/"status": "success"/);
  });
});

describe('a reader that closes the pipe early', () => {
  it.each([['list'], ['run'], ['setup'], ['validate'], ['history']])('%s | head -1 ends quietly, and a run it cut short is still recorded as it happened', async (command) => {
    const { BIN } = await import('./run-cli.ts');
    const { spawnSync } = await import('node:child_process');
    const files: Record<string, string> = { 'data/orders.csv': 'id\n1\n2\n' };
    for (let i = 0; i < 40; i++) files[`metrics/m${i}.yaml`] = `metric_name: m${i}\nowner: o\ndescription: d\nschedule: "0 6 * * *"\nsql: SELECT id, ${i} AS k FROM orders\n`;
    project = await projectDir(files);
    if (command !== 'setup') await runCli(['setup'], project.dir);
    if (command === 'history' || command === 'list') await runCli(['run'], project.dir);
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${command} | head -1`], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(piped.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(piped.stderr).not.toMatch(/EPIPE|    at |INTERNAL/);
    if (command === 'run') {
      const history = JSON.parse((await runCli(['history', '--json'], project.dir)).stdout) as { entries: Array<{ status: string; built: number }> };
      expect(history.entries[0]).toMatchObject({ status: 'success', built: 40 });
    }
  });
});

describe('docs --out onto something that is not a folder', () => {
  it.each([['site.html'], ['index.html'], ['data/orders.csv']])('--out %s is a usage error with the fix, and the file is untouched', async (target) => {
    project = await projectDir({ 'data/orders.csv': 'id\n1\n', 'site.html': '<p>mine</p>', 'index.html': 'keep', 'metrics/a.yaml': 'metric_name: a\nowner: o\ndescription: d\nschedule: "0 6 * * *"\nsql: SELECT * FROM orders\n' });
    const { readFile } = await import('node:fs/promises');
    const before = await readFile(project.path(target), 'utf8');
    const out = await runCli(['docs', '--out', target], project.dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/USAGE .*is a file, not a folder/);
    expect(out.stderr).toMatch(/hint:/);
    expect(out.stderr).not.toMatch(/ENOTDIR|EEXIST|    at /);
    expect(await readFile(project.path(target), 'utf8')).toBe(before);
  });
});
