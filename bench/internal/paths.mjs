// Where the bench finds the repository, the built CLI and its own scratch space.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder above bench/). */
export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Gitignored cache of generated data and scratch projects. */
export const benchDataDir = path.join(repoRoot, 'bench', '.data');
/** The built CLI entry (`npm run build` first). */
export const cliBin = path.join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
/** The floor scripts. */
export const floorScript = (name) => path.join(repoRoot, 'bench', `floor-${name}.mjs`);
