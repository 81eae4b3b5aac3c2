import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a site's files under `dir` (created if missing) and resolves to the absolute paths written. Other files
 * in `dir` are left alone.
 *
 * @example
 * ```ts
 * await writeSite('site', renderCatalogSite(catalog)); // ['/project/site/index.html']
 * ```
 */
export async function writeSite(dir: string, files: Record<string, string>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = path.resolve(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    written.push(file);
  }
  return written;
}
