#!/usr/bin/env node
// Floor for `duckmetrics run`: one bare `CREATE OR REPLACE TABLE name AS <sql>` per metric on @duckdb/node-api,
// nothing else. Usage: node bench/floor-build.mjs DB STATEMENTS.json   (a JSON list of { name, sql })
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [database, statementsFile] = process.argv.slice(2);
const metrics = JSON.parse(readFileSync(statementsFile, 'utf8'));
const ident = (text) => `"${text.replaceAll('"', '""')}"`;

const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
for (const { name, sql } of metrics) {
  await connection.run(`CREATE OR REPLACE TABLE ${ident(name)} AS\n${sql}`);
}
connection.closeSync();
instance.closeSync();
