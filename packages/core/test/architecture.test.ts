// The shape ARCHITECTURE.md promises, checked: no import cycles between source files, no source file over 300
// lines, and each file opening with the line that says what it owns.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
const packages = readdirSync(packagesDir).filter((p) => statSync(path.join(packagesDir, p, 'src'), { throwIfNoEntry: false })?.isDirectory());

/** Every cycle of relative imports (type imports included) among `files`, as `a.ts -> b.ts -> a.ts`. */
function importCycles(files: string[], root: string): string[] {
  const edges = new Map(files.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => path.join(path.dirname(f), m[1]!))]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, stack: string[]): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((x) => path.relative(root, x)).join(' -> '));
      else if (!state.has(next) && edges.has(next)) visit(next, stack);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f, []);
  return cycles;
}

describe('source layout', () => {
  it('finds the packages', () => {
    expect(packages).toEqual(expect.arrayContaining(['core', 'cli', 'catalog', 'plugin-csv', 'plugin-validate-sql']));
  });

  it.each(packages)('%s has no import cycles', (name) => {
    const src = path.join(packagesDir, name, 'src');
    expect(importCycles(sourceFiles(src), src)).toEqual([]);
  });

  it.each(packages)('%s has no source file over 300 lines', (name) => {
    const src = path.join(packagesDir, name, 'src');
    const long = sourceFiles(src).map((f) => [path.relative(src, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it('every core source file opens with a line saying what it owns', () => {
    const src = path.join(packagesDir, 'core', 'src');
    const bare = sourceFiles(src).filter((f) => !readFileSync(f, 'utf8').startsWith('// ')).map((f) => path.relative(src, f));
    expect(bare).toEqual([]);
  });
});
