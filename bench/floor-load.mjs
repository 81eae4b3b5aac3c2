#!/usr/bin/env node
// Floor for loading CSVs: one bare `CREATE TABLE … AS SELECT * FROM read_csv(…)` per file on @duckdb/node-api,
// nothing else (no transaction, no row count, no state). Usage: node bench/floor-load.mjs DB FILE.csv…
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [database, ...files] = process.argv.slice(2);
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const ident = (text) => `"${text.replaceAll('"', '""')}"`;

const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
for (const file of files) {
  const table = path.basename(file, path.extname(file));
  await connection.run(`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT * FROM read_csv(${literal(file)})`);
}
connection.closeSync();
instance.closeSync();
