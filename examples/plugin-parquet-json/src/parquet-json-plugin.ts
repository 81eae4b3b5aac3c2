import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { definePlugin, quoteIdent, quoteLiteral } from '@duckmetrics/core';
import type { Database, Plugin, PluginDiagnostic, SourceLoad } from '@duckmetrics/core';

/** The kinds of file this plugin reads: `parquet`, `json` (an array or NDJSON, detected) or `ndjson`. */
export type TableFileKind = 'parquet' | 'json' | 'ndjson';

/** Options of the `parquetJson()` plugin. */
export interface ParquetJsonOptions {
  /** Folder of data files, relative to the project root. Default `data`. */
  dir?: string;
  /** Which kinds to load. Default all three. */
  kinds?: TableFileKind[];
}

const EXTENSIONS: Record<string, TableFileKind> = { '.parquet': 'parquet', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/**
 * The kind of a data file by its extension (`.parquet`, `.json`, `.ndjson`, `.jsonl`), or `undefined`.
 *
 * @example
 * ```ts
 * tableFileKind('data/events.jsonl'); // 'ndjson'
 * ```
 */
export function tableFileKind(file: string): TableFileKind | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

/**
 * The DuckDB table function that reads `file`, with the path quoted as a literal.
 *
 * @example
 * ```ts
 * readerCall("it's.parquet", 'parquet'); // "read_parquet('it''s.parquet')"
 * ```
 */
export function readerCall(file: string, kind: TableFileKind): string {
  const literal = quoteLiteral(file);
  if (kind === 'parquet') return `read_parquet(${literal})`;
  if (kind === 'ndjson') return `read_json_auto(${literal}, format = 'newline_delimited')`;
  return `read_json_auto(${literal})`;
}

/**
 * Source plugin: every `*.parquet`, `*.json`, `*.ndjson` and `*.jsonl` file in `dir` becomes a table named
 * after the file stem, read by DuckDB's built-in `read_parquet` / `read_json_auto` through `ctx.db`. One
 * transaction per table: a file that fails to read keeps the previous table and is reported as
 * `SourceLoad.error`. The fingerprint is a SHA-256 of the file's bytes; a file whose fingerprint matches the
 * last load is not read again (`unchanged`), unless `setup --force`.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [csv(), parquetJson({ dir: 'data' }), validateSql()] });
 * ```
 */
export function parquetJson(options: ParquetJsonOptions = {}): Plugin {
  const kinds = new Set<TableFileKind>(options.kinds ?? ['parquet', 'json', 'ndjson']);
  return definePlugin({
    name: 'parquet-json',
    async loadSources(ctx, { previous }) {
      const dir = path.resolve(ctx.config.root, options.dir ?? 'data');
      const files = await listDataFiles(dir, kinds);
      if (files === undefined) {
        ctx.logger.warn(`parquet-json: no data folder at ${dir}; no Parquet or JSON sources loaded`);
        return [];
      }
      const loads: SourceLoad[] = [];
      const seen = new Map<string, string>();
      for (const { file, kind } of files) {
        if (ctx.signal.aborted) break;
        const name = path.basename(file, path.extname(file));
        const other = seen.get(name.toLowerCase());
        if (other !== undefined) {
          loads.push({ name, path: file, error: duplicateError(name, other, file) });
          continue;
        }
        seen.set(name.toLowerCase(), file);
        const started = performance.now();
        let fingerprint: string;
        try {
          fingerprint = await sha256(file);
        } catch (error) {
          loads.push({ name, path: file, error: readError(error, kind) });
          continue;
        }
        const before = previous.get(name);
        if (before?.fingerprint === fingerprint) {
          // Same bytes as the table already holds: leave it.
          loads.push({ name, path: file, fingerprint, unchanged: true, ...(before.rows === null ? {} : { rows: before.rows }) });
          continue;
        }
        const load = await loadTable(ctx.db, name, file, kind);
        if (!load.error) load.fingerprint = fingerprint;
        load.durationMs = Math.round(performance.now() - started);
        loads.push(load);
      }
      return loads;
    },
  });
}

async function listDataFiles(dir: string, kinds: Set<TableFileKind>): Promise<Array<{ file: string; kind: TableFileKind }> | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => ({ file: path.join(dir, e.name), kind: tableFileKind(e.name) }))
    .filter((f): f is { file: string; kind: TableFileKind } => f.kind !== undefined && kinds.has(f.kind))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
}

async function loadTable(db: Database, name: string, file: string, kind: TableFileKind): Promise<SourceLoad> {
  const table = quoteIdent(name);
  try {
    await db.run('BEGIN TRANSACTION');
    await db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${readerCall(file, kind)}`);
    const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    await db.run('COMMIT');
    return { name, path: file, rows: row?.n ?? 0 };
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    const diagnostic = readError(error, kind);
    const line = kind === 'parquet' ? undefined : await firstInvalidJsonLine(file);
    if (line !== undefined) diagnostic.line = line;
    return { name, path: file, error: diagnostic };
  }
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(`sha256:${hash.digest('hex')}`));
  });
}

function readError(error: unknown, kind: TableFileKind): PluginDiagnostic {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const diagnostic: PluginDiagnostic =
    kind === 'parquet'
      ? { code: 'PARQUET_LOAD_FAILED', message, hint: 'the file is not valid Parquet; write it again (e.g. COPY … TO … (FORMAT parquet)); the previous table was kept' }
      : { code: 'JSON_LOAD_FAILED', message, hint: `fix the JSON at this line (${kind === 'ndjson' ? 'one object per line' : 'an array of objects, or one object per line'}); the previous table was kept` };
  return diagnostic;
}

/**
 * The 1-based line of the first line that is not a JSON value, for newline-delimited files. DuckDB reports the
 * failing record, not the file line (blank lines are skipped), so the line is found here, on the error path only.
 * A JSON array file gives `undefined`.
 */
async function firstInvalidJsonLine(file: string): Promise<number | undefined> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) return undefined;
  try {
    let n = 0;
    for await (const text of handle.readLines()) {
      n++;
      const trimmed = text.trim();
      if (n === 1 && trimmed.startsWith('[')) return undefined;
      if (trimmed === '') continue;
      try {
        JSON.parse(trimmed);
      } catch {
        return n;
      }
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

function duplicateError(name: string, first: string, second: string): PluginDiagnostic {
  return {
    code: 'SOURCE_DUPLICATE',
    message: `table "${name}" would be loaded from both ${path.basename(first)} and ${path.basename(second)}`,
    hint: 'keep one file per table name, or rename one of them; the first one was loaded',
  };
}
