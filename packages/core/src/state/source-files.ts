// Whether each loaded source still matches its file: missing, changed since it was loaded, or as loaded.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceState } from './builds.ts';

/** A source whose file is gone or changed since `setup` loaded it. */
export interface SourceFileChange {
  /** Table name. */
  name: string;
  /** The file, relative to the project root. */
  file: string;
  change: 'missing' | 'changed';
}

/**
 * Compares every file-backed source with its file now (size and modification time, as recorded at load). A
 * source loaded before file identities were recorded is only checked for existence.
 */
export async function sourceFileChanges(root: string, sources: ReadonlyMap<string, SourceState>): Promise<SourceFileChange[]> {
  const checks = [...sources.values()].filter((s): s is SourceState & { file: string } => s.file !== null).map(async (s): Promise<SourceFileChange | undefined> => {
    const info = await stat(path.resolve(root, s.file)).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? null : undefined));
    if (info === null) return { name: s.name, file: s.file, change: 'missing' };
    if (info === undefined || !info.isFile()) return info === undefined ? undefined : { name: s.name, file: s.file, change: 'missing' };
    if (s.fileSize === null || s.fileMtimeMs === null) return undefined;
    return info.size !== s.fileSize || Math.round(info.mtimeMs) !== s.fileMtimeMs ? { name: s.name, file: s.file, change: 'changed' } : undefined;
  });
  return (await Promise.all(checks)).filter((c): c is SourceFileChange => c !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The sources whose file is gone, by lower-case table name, with the file (what `planBuild` skips metrics for). */
export function missingSourceFiles(changes: readonly SourceFileChange[]): Map<string, string> {
  return new Map(changes.filter((c) => c.change === 'missing').map((c) => [c.name.toLowerCase(), c.file]));
}
