#!/usr/bin/env node
// Floor for `duckmetrics test --unit`: per test, one bare in-memory DuckDB on @duckdb/node-api that creates the
// given tables with the source's column types (from the values when there are none) from their rows or the
// fixture CSV, runs the metric's SELECT and reads its rows, nothing else (no sandbox, no expected rows, no
// comparison). Usage: node bench/floor-unit-test.mjs TESTS.json (a JSON list of
// { sql, given: [{ table, columns?: [{ column, type }], rows } | { table, columns?, csv }] }); prints the median ms per test.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const tests = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ident = (name) => `"${name.replace(/"/g, '""')}"`;
const literal = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const times = [];
for (const test of tests) {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  for (const input of test.given) {
    if (input.columns) {
      await connection.run(`CREATE TABLE ${ident(input.table)} (${input.columns.map((c) => `${ident(c.column)} ${c.type}`).join(', ')})`);
      const typeOf = (name) => input.columns.find((c) => c.column === name).type;
      if (input.csv) {
        const names = (await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(${literal(input.csv)}, header = true, all_varchar = true))`)).getRows().map((r) => r[0]);
        await connection.run(`INSERT INTO ${ident(input.table)} (${names.map(ident).join(', ')}) SELECT ${names.map((c) => `CAST(${ident(c)} AS ${typeOf(c)})`).join(', ')} FROM read_csv(${literal(input.csv)}, header = true, all_varchar = true)`);
        continue;
      }
      const names = [...new Set(input.rows.flatMap((r) => Object.keys(r)))];
      if (names.length === 0) continue;
      const values = input.rows.map((r) => `(${names.map((c) => `CAST(${literal(r[c])} AS ${typeOf(c)})`).join(', ')})`).join(', ');
      await connection.run(`INSERT INTO ${ident(input.table)} (${names.map(ident).join(', ')}) VALUES ${values}`);
      continue;
    }
    if (input.csv) {
      await connection.run(`CREATE TABLE ${ident(input.table)} AS SELECT * FROM read_csv(${literal(input.csv)}, header = true)`);
      continue;
    }
    const columns = [...new Set(input.rows.flatMap((r) => Object.keys(r)))];
    if (columns.length === 0) continue;
    const values = input.rows.map((r) => `(${columns.map((c) => literal(r[c])).join(', ')})`).join(', ');
    await connection.run(`CREATE TABLE ${ident(input.table)} AS SELECT * FROM (VALUES ${values}) v(${columns.map(ident).join(', ')})`);
  }
  await connection.runAndReadAll(test.sql);
  connection.closeSync();
  instance.closeSync();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
process.stdout.write(`${times[Math.floor(times.length / 2)] ?? 0}\n`);
