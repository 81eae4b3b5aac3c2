#!/usr/bin/env node
// Floor for `duckmetrics validate`: one bare `EXPLAIN <sql>` per metric on @duckdb/node-api, in one process,
// nothing else. Usage: node bench/floor-explain.mjs DB STATEMENTS.json   (a JSON list of { name, sql })
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [database, statementsFile] = process.argv.slice(2);
const metrics = JSON.parse(readFileSync(statementsFile, 'utf8'));

const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
for (const { sql } of metrics) {
  await connection.run(`EXPLAIN\n${sql}`);
}
connection.closeSync();
instance.closeSync();
