// `duckmetrics init [dir]`: writes a project that runs as it stands, refusing to overwrite unless `--force`.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { print, printJson } from '../output.ts';
import { projectTemplate } from '../templates/project-template.ts';
import type { InitFlags } from './init.flags.ts';

/**
 * `duckmetrics init [DIR]`: a project that runs as it stands (config, sample CSV, two metrics, .gitignore, README).
 * Refuses to overwrite existing files (or to add a second config) unless `--force`.
 */
export default async function init(flags: InitFlags, args: string[]): Promise<number> {
  const dir = path.resolve(flags.cwd ?? process.cwd(), args[0] ?? '.');
  const files = projectTemplate(path.basename(dir));
  const { CONFIG_SEARCH_PLACES, DuckmetricsError } = await import('@duckmetrics/core');
  const otherConfigs = CONFIG_SEARCH_PLACES.filter((p) => p !== 'package.json' && !files.some((f) => f.path === p) && existsSync(path.join(dir, p)));
  const existing = files.filter((f) => !f.optional && existsSync(path.join(dir, f.path))).map((f) => f.path);
  const conflicts = [...existing, ...otherConfigs];
  if (conflicts.length > 0 && !flags.force) {
    throw new DuckmetricsError('USAGE', `${shown(dir)} already has ${conflicts.join(', ')}: init would ${existing.length ? 'overwrite' : 'add a second config beside'} ${conflicts.length === 1 ? 'it' : 'them'}`, {
      hint: `pass --force to overwrite, or start in a new folder: duckmetrics init my-metrics`,
    });
  }
  const created: string[] = [];
  const kept: string[] = [];
  for (const f of files) {
    const target = path.join(dir, f.path);
    if (f.optional && existsSync(target)) {
      kept.push(f.path);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.text);
    created.push(f.path);
  }
  if (flags.json) {
    printJson({ ok: true, dir, created, kept });
    return EXIT.ok;
  }
  print(`${pc.green('Created')} a duckmetrics project in ${pc.bold(shown(dir))}`);
  for (const f of created) print(`  ${f}`);
  for (const f of kept) print(pc.dim(`  ${f} (kept as it was)`));
  for (const f of otherConfigs) print(`${pc.yellow('warning')} ${f} is another config file: remove it so that only metrics.config.ts is read`);
  print('\nNext:');
  if (path.resolve(dir) !== path.resolve(process.cwd())) print(`  cd ${path.relative(process.cwd(), dir) || '.'}`);
  print('  duckmetrics build   # load data/*.csv, then validate and build every metric');
  print(pc.dim('  duckmetrics list    # what was built; duckmetrics --help for every command'));
  return EXIT.ok;
}

function shown(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? 'this folder' : relative.startsWith('..') ? dir : `${relative}/`;
}
