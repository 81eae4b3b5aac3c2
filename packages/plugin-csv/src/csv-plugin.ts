import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { definePlugin, quoteIdent, quoteLiteral, sqlValue } from '@duckmetrics/core';
import type { Database, Plugin, PluginDiagnostic, SourceLoad } from '@duckmetrics/core';

/**
 * Options passed to DuckDB's `read_csv` for one table, by their DuckDB names
 * (`delim`, `header`, `types`, `dateformat`, `nullstr`, `skip`, …).
 *
 * @example
 * ```ts
 * csv({ tables: { orders: { delim: ';', types: { order_id: 'VARCHAR' } } } });
 * ```
 */
export type ReadCsvOptions = Record<string, string | number | boolean | string[] | Record<string, string>>;

/** Options of the `csv()` plugin. */
export interface CsvPluginOptions {
  /** Folder of CSV files, relative to the project root. Default `data`. */
  dir?: string;
  /** Per-table `read_csv` options, keyed by table name (the file stem). A table whose file did not change since
   * the last `setup` is not reloaded (see `fileFingerprint`). */
  tables?: Record<string, ReadCsvOptions>;
}

const OPTION_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Source plugin: every `*.csv` file in `dir` becomes a table named after the file stem, read by DuckDB's own
 * `read_csv` in one transaction per table, so a file that fails to parse leaves the previous table intact.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [csv({ dir: 'raw', tables: { orders: { delim: ';' } } }), validateSql()] });
 * ```
 */
export function csv(options: CsvPluginOptions = {}): Plugin {
  return definePlugin({
    name: 'csv',
    async loadSources(ctx, { previous }) {
      const dir = path.resolve(ctx.config.root, options.dir ?? 'data');
      const files = await listCsvFiles(dir);
      if (files === undefined) {
        ctx.logger.warn(`csv: no data folder at ${dir}; no CSV sources loaded`);
        return [];
      }
      const loads: SourceLoad[] = [];
      for (const file of files) {
        // Cancelled (Ctrl-C in setup): stop before the next file; tables loaded so far stay.
        if (ctx.signal.aborted) break;
        const name = path.basename(file, path.extname(file));
        const fingerprint = await fileFingerprint(file);
        const before = previous.get(name);
        if (before && before.fingerprint === fingerprint) {
          loads.push({ name, path: file, fingerprint, unchanged: true, ...(before.rows === null ? {} : { rows: before.rows }) });
          continue;
        }
        loads.push(await loadCsv(ctx.db, name, file, fingerprint, options.tables?.[name] ?? {}));
      }
      return loads;
    },
  });
}

async function listCsvFiles(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return undefined;
  }
}

/** Renders per-table options as `read_csv` named parameters; option names are validated, values quoted. */
export function readCsvArguments(options: ReadCsvOptions): string {
  return Object.entries(options)
    .map(([key, value]) => {
      if (!OPTION_NAME.test(key)) throw new Error(`invalid read_csv option name "${key}"`);
      return `, ${key} = ${sqlValue(value)}`;
    })
    .join('');
}

/** Files up to this size get a content hash; larger ones are fingerprinted by size and modification time. */
const HASH_LIMIT = 64 * 1024 * 1024;

/**
 * A fingerprint that changes when the file's content changes: a sha256 of the content for files up to 64 MiB
 * (so touching or re-saving an unchanged file changes nothing), size and mtime above that (hashing gigabytes
 * would cost as much as loading them).
 */
export async function fileFingerprint(file: string): Promise<string> {
  const info = await stat(file);
  if (info.size > HASH_LIMIT) return `size-mtime:${info.size}:${Math.trunc(info.mtimeMs)}`;
  const hash = createHash('sha256');
  // 1 MiB reads: half the time of the default 64 KiB for large files.
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

async function loadCsv(db: Database, name: string, file: string, fingerprint: string, options: ReadCsvOptions): Promise<SourceLoad> {
  const started = performance.now();
  const table = quoteIdent(name);
  try {
    const args = readCsvArguments(options);
    await db.run('BEGIN TRANSACTION');
    // CREATE … AS returns the number of rows it wrote.
    const [created] = await db.all<{ Count?: number }>(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${quoteLiteral(file)}${args})`);
    const rows = created?.Count ?? (await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0;
    await db.run('COMMIT');
    return { name, path: file, rows, fingerprint, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    return { name, path: file, error: csvError(error), durationMs: Math.round(performance.now() - started) };
  }
}

function csvError(error: unknown): PluginDiagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const summary = [lines[0], ...lines.slice(1, 4).filter((l) => /^(Original Line|Error when)/.test(l))].join('; ');
  const diagnostic: PluginDiagnostic = {
    code: 'CSV_LOAD_FAILED',
    message: summary,
    hint: 'fix the row in the file, or set read_csv options for this table in metrics.config (types, delim, nullstr, ignore_errors); the previous table was kept',
  };
  const line = /Line: (\d+)/.exec(message);
  if (line) diagnostic.line = Number(line[1]);
  return diagnostic;
}
