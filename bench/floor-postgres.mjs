#!/usr/bin/env node
// Floor for loading from PostgreSQL: psql's `\copy (SELECT * FROM table) TO file` as CSV, then one bare
// `CREATE TABLE … AS SELECT * FROM read_csv(file)` on @duckdb/node-api (types sniffed), nothing else.
// Usage: node bench/floor-postgres.mjs DB PSQL PORT TABLE CSVFILE   (PGPASSWORD in the environment)
import { spawnSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';

const [database, psql, port, table, file] = process.argv.slice(2);
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const ident = (text) => `"${text.replaceAll('"', '""')}"`;

const copied = spawnSync(psql, ['-X', '-q', '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'bench', '-c', `\\copy (SELECT * FROM ${ident(table)}) TO ${literal(file)} WITH (FORMAT csv)`], { stdio: ['ignore', 'ignore', 'inherit'] });
if (copied.status !== 0) process.exit(1);
const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
await connection.run(`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT * FROM read_csv(${literal(file)}, header = false)`);
connection.closeSync();
instance.closeSync();
