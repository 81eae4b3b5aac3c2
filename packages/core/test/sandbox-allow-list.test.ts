// The allow-list end to end: hostile metrics are SANDBOX at validate and never built by run, at their function's line and column; benign ones still build.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, definePlugin } from '@duckmetrics/core';
import type { Diagnostic, Engine, MetricRunResult, MetricValidation, UserConfig } from '@duckmetrics/core';
import { csv } from '@duckmetrics/plugin-csv';
import { validateSql } from '@duckmetrics/plugin-validate-sql';
import { metricYaml, projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

const orders = 'order_id,customer_id,amount,status,ordered_at\n1,10,5.5,placed,2024-01-03\n2,10,4.5,shipped,2024-02-10\n3,11,7,placed,2024-02-11\n';
let project: TempProject | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  await project?.cleanup();
  engine = undefined;
  project = undefined;
});

/**
 * A hostile metric: its SQL (the project folder filled in), the text the diagnostic must point at (its first
 * occurrence gives the line and column), and the function the message must name.
 */
interface Hostile {
  sql: string | ((dir: string) => string);
  at: string;
  names: string;
}

/** Functions that change or reveal the instance, hidden every way a writer might hide them. */
const HOSTILE: Record<string, Hostile> = {
  // Logging and profiling: stdout noise in --json, a process abort (file logging under the lockdown), INTERNAL.
  logging_stdout: { sql: "SELECT * FROM enable_logging(storage := 'stdout')", at: 'enable_logging', names: 'enable_logging()' },
  logging_file: { sql: (dir) => `SELECT * FROM enable_logging(storage := 'file', storage_path := '${dir}/logs')`, at: 'enable_logging', names: 'enable_logging()' },
  logging_level: { sql: "FROM enable_logging(level := 'trace')", at: 'enable_logging', names: 'enable_logging()' },
  logging_off: { sql: 'SELECT * FROM disable_logging()', at: 'disable_logging', names: 'disable_logging()' },
  logs_truncate: { sql: 'SELECT * FROM truncate_duckdb_logs()', at: 'truncate_duckdb_logs', names: 'truncate_duckdb_logs()' },
  logs_read: { sql: 'SELECT count(*) AS n FROM duckdb_logs()', at: 'duckdb_logs', names: 'duckdb_logs()' },
  logs_parsed: { sql: "SELECT * FROM duckdb_logs_parsed('QueryLog')", at: 'duckdb_logs_parsed', names: 'duckdb_logs_parsed()' },
  write_log: { sql: "SELECT write_log('hello', level := 'error') AS x", at: 'write_log', names: 'write_log()' },
  profiling_file: { sql: (dir) => `SELECT * FROM enable_profiling(format := 'json', save_location := '${dir}/profile.json')`, at: 'enable_profiling', names: 'enable_profiling()' },
  profiling: { sql: 'SELECT * FROM enable_profiling()', at: 'enable_profiling', names: 'enable_profiling()' },
  profiling_off: { sql: 'SELECT * FROM disable_profiling()', at: 'disable_profiling', names: 'disable_profiling()' },
  profiling_settings: { sql: 'SELECT * FROM duckdb_profiling_settings()', at: 'duckdb_profiling_settings', names: 'duckdb_profiling_settings()' },
  // Secrets, extensions, settings, the instance.
  secrets: { sql: 'SELECT * FROM duckdb_secrets()', at: 'duckdb_secrets', names: 'duckdb_secrets()' },
  which_secret: { sql: "SELECT * FROM which_secret('s3://bucket/x', 's3')", at: 'which_secret', names: 'which_secret()' },
  secret_types: { sql: 'SELECT * FROM duckdb_secret_types()', at: 'duckdb_secret_types', names: 'duckdb_secret_types()' },
  extensions: { sql: 'SELECT extension_name FROM duckdb_extensions()', at: 'duckdb_extensions', names: 'duckdb_extensions()' },
  settings: { sql: 'SELECT name, value FROM duckdb_settings()', at: 'duckdb_settings', names: 'duckdb_settings()' },
  current_setting: { sql: "SELECT current_setting('home_directory') AS home", at: 'current_setting', names: 'current_setting()' },
  getvariable: { sql: "SELECT getvariable('token') AS t", at: 'getvariable', names: 'getvariable()' },
  variables: { sql: 'SELECT * FROM duckdb_variables()', at: 'duckdb_variables', names: 'duckdb_variables()' },
  memory: { sql: 'SELECT * FROM duckdb_memory()', at: 'duckdb_memory', names: 'duckdb_memory()' },
  temp_files: { sql: 'SELECT * FROM duckdb_temporary_files()', at: 'duckdb_temporary_files', names: 'duckdb_temporary_files()' },
  checkpoint: { sql: 'SELECT * FROM checkpoint()', at: 'checkpoint', names: 'checkpoint()' },
  force_checkpoint: { sql: 'SELECT * FROM force_checkpoint()', at: 'force_checkpoint', names: 'force_checkpoint()' },
  pragma_version: { sql: 'SELECT * FROM pragma_version()', at: 'pragma_version', names: 'pragma_version()' },
  pragma_table_info: { sql: "SELECT * FROM pragma_table_info('orders')", at: 'pragma_table_info', names: 'pragma_table_info()' },
  pragma_database_size: { sql: 'SELECT * FROM pragma_database_size()', at: 'pragma_database_size', names: 'pragma_database_size()' },
  setseed: { sql: 'SELECT setseed(0.5) AS s', at: 'setseed', names: 'setseed()' },
  nextval: { sql: "SELECT nextval('ids') AS id", at: 'nextval', names: 'nextval()' },
  version: { sql: 'SELECT version() AS v', at: 'version', names: 'version()' },
  current_query: { sql: 'SELECT current_query() AS q', at: 'current_query', names: 'current_query()' },
  sleep: { sql: 'SELECT sleep_ms(1) AS s', at: 'sleep_ms', names: 'sleep_ms()' },
  // The catalog, by table function and by DuckDB's views of it.
  tables: { sql: 'SELECT table_name FROM duckdb_tables()', at: 'duckdb_tables', names: 'duckdb_tables()' },
  columns: { sql: 'SELECT * FROM duckdb_columns()', at: 'duckdb_columns', names: 'duckdb_columns()' },
  functions: { sql: 'SELECT function_name FROM duckdb_functions()', at: 'duckdb_functions', names: 'duckdb_functions()' },
  pg_settings: { sql: 'SELECT name, setting FROM pg_catalog.pg_settings', at: 'pg_catalog', names: 'pg_catalog.pg_settings' },
  information_schema: { sql: 'SELECT table_name FROM information_schema.tables', at: 'information_schema', names: 'information_schema.tables' },
  // Files and URLs: readers, sniffers, globs, metadata.
  read_csv: { sql: "SELECT * FROM read_csv('/etc/passwd')", at: 'read_csv', names: 'read_csv()' },
  read_csv_auto: { sql: (dir) => `SELECT * FROM read_csv_auto('${dir}/data/orders.csv')`, at: 'read_csv_auto', names: 'read_csv_auto()' },
  read_parquet: { sql: "SELECT * FROM read_parquet('s3://bucket/x.parquet')", at: 'read_parquet', names: 'read_parquet()' },
  read_json: { sql: "SELECT * FROM read_json('https://example.com/x.json')", at: 'read_json', names: 'read_json()' },
  read_ndjson_objects: { sql: "SELECT * FROM read_ndjson_objects('/etc/hostname')", at: 'read_ndjson_objects', names: 'read_ndjson_objects()' },
  read_text: { sql: "SELECT content FROM read_text('/etc/hostname')", at: 'read_text', names: 'read_text()' },
  read_blob: { sql: "SELECT content FROM read_blob('/etc/hostname')", at: 'read_blob', names: 'read_blob()' },
  glob: { sql: "SELECT file FROM glob('/etc/*')", at: 'glob', names: 'glob()' },
  sniff_csv: { sql: (dir) => `SELECT * FROM sniff_csv('${dir}/data/orders.csv')`, at: 'sniff_csv', names: 'sniff_csv()' },
  parquet_schema: { sql: "SELECT * FROM parquet_schema('/etc/passwd')", at: 'parquet_schema', names: 'parquet_schema()' },
  read_duckdb: { sql: "SELECT * FROM read_duckdb('/tmp/other.duckdb')", at: 'read_duckdb', names: 'read_duckdb()' },
  // SQL or tables named in strings.
  query: { sql: "SELECT * FROM query('SELECT * FROM duckdb_secrets()')", at: 'query', names: 'query()' },
  query_table: { sql: "SELECT * FROM query_table('orders')", at: 'query_table', names: 'query_table()' },
  serialized_sql: { sql: "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", at: 'json_execute_serialized_sql', names: 'json_execute_serialized_sql()' },
  serialize_plan: { sql: "SELECT json_serialize_plan('SELECT * FROM read_text(''/etc/hostname'')') AS p", at: 'json_serialize_plan', names: 'json_serialize_plan()' },
  histogram_table: { sql: "SELECT * FROM histogram('orders', amount)", at: 'histogram', names: 'histogram()' },
  aggregate_by_expression: { sql: "SELECT list_aggregate([1, 2], 'su' || 'm') AS s", at: 'list_aggregate', names: 'list_aggregate()' },
  // Hidden: CTEs, subqueries, lateral joins, JOIN, UNION, window functions, CASE, lambdas, FILTER, ORDER BY.
  in_cte: { sql: 'WITH s AS (SELECT * FROM duckdb_secrets())\nSELECT count(*) AS n FROM s', at: 'duckdb_secrets', names: 'duckdb_secrets()' },
  in_nested_cte: { sql: "WITH a AS (SELECT 1 AS x),\n     b AS (SELECT x, current_setting('threads') AS t FROM a)\nSELECT * FROM b", at: 'current_setting', names: 'current_setting()' },
  in_where_subquery: { sql: "SELECT * FROM orders\nWHERE order_id IN (SELECT 1 FROM glob('/etc/*'))", at: 'glob', names: 'glob()' },
  in_scalar_subquery: { sql: 'SELECT (SELECT count(*) FROM duckdb_settings()) AS n', at: 'duckdb_settings', names: 'duckdb_settings()' },
  in_exists: { sql: 'SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM duckdb_extensions())', at: 'duckdb_extensions', names: 'duckdb_extensions()' },
  in_lateral: { sql: "SELECT o.order_id, t.content\nFROM orders o, LATERAL (SELECT content FROM read_text('/etc/hostname')) t", at: 'read_text', names: 'read_text()' },
  in_join: { sql: "SELECT * FROM orders\nJOIN read_csv('/etc/passwd') p ON true", at: 'read_csv', names: 'read_csv()' },
  in_left_join: { sql: 'SELECT * FROM orders o\n  LEFT JOIN duckdb_secrets() s ON s.name = o.status', at: 'duckdb_secrets', names: 'duckdb_secrets()' },
  in_union: { sql: 'SELECT 1 AS x\nUNION ALL\nSELECT count(*) FROM duckdb_extensions()', at: 'duckdb_extensions', names: 'duckdb_extensions()' },
  in_window: { sql: "SELECT order_id, sum(length(current_setting('threads'))) OVER (PARTITION BY customer_id) AS w FROM orders", at: 'current_setting', names: 'current_setting()' },
  in_window_order: { sql: "SELECT row_number() OVER (ORDER BY getvariable('x')) AS r FROM orders", at: 'getvariable', names: 'getvariable()' },
  in_case: { sql: "SELECT CASE WHEN amount > 5 THEN current_setting('threads') ELSE 'no' END AS c FROM orders", at: 'current_setting', names: 'current_setting()' },
  in_lambda: { sql: "SELECT list_transform([1, 2], x -> x || getvariable('v')) AS l", at: 'getvariable', names: 'getvariable()' },
  in_list_comprehension: { sql: "SELECT [current_setting(s) FOR s IN ['threads']] AS l", at: 'current_setting', names: 'current_setting()' },
  in_filter: { sql: "SELECT count(*) FILTER (WHERE current_setting('threads') = '1') AS n FROM orders", at: 'current_setting', names: 'current_setting()' },
  in_order_by: { sql: "SELECT * FROM orders ORDER BY current_setting('threads')", at: 'current_setting', names: 'current_setting()' },
  in_group_by: { sql: "SELECT current_setting('threads') AS t, count(*) AS n FROM orders GROUP BY 1", at: 'current_setting', names: 'current_setting()' },
  in_qualify: { sql: "SELECT * FROM orders QUALIFY row_number() OVER () = length(version())", at: 'version', names: 'version()' },
  in_values: { sql: "VALUES (current_setting('threads'))", at: 'current_setting', names: 'current_setting()' },
  in_static_pivot: { sql: "PIVOT orders ON status IN ('placed', 'shipped') USING first(current_setting('threads'))", at: 'current_setting', names: 'current_setting()' },
  in_recursive_cte: { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, duckdb_secrets() WHERE n < 3)\nSELECT * FROM r', at: 'duckdb_secrets', names: 'duckdb_secrets()' },
  in_from_first: { sql: 'FROM duckdb_settings() SELECT name', at: 'duckdb_settings', names: 'duckdb_settings()' },
  in_function_argument: { sql: "SELECT upper(lower(current_setting('threads'))) AS t", at: 'current_setting', names: 'current_setting()' },
  after_comment: { sql: "-- SELECT read_csv('/etc/passwd')\nSELECT\n  order_id,\n  current_setting('threads') AS t\nFROM orders", at: "current_setting('threads')", names: 'current_setting()' },
  nested_summarize: { sql: 'SELECT * FROM (SUMMARIZE orders)', at: 'SUMMARIZE', names: 'SUMMARIZE inside a query' },
  nested_describe: { sql: 'SELECT column_name FROM (DESCRIBE orders)', at: 'DESCRIBE', names: 'DESCRIBE inside a query' },
  nested_show_tables: { sql: 'SELECT name FROM (SHOW TABLES)', at: 'SHOW', names: 'SHOW inside a query' },
  // Names as a writer might spell them.
  schema_main: { sql: "SELECT * FROM main.read_csv('/etc/passwd')", at: 'main.read_csv', names: 'main.read_csv()' },
  schema_system_main: { sql: 'SELECT * FROM system.main.duckdb_settings()', at: 'system.main', names: 'duckdb_settings()' },
  schema_pg_catalog: { sql: "SELECT pg_catalog.current_setting('threads') AS t", at: 'pg_catalog', names: 'pg_catalog.current_setting()' },
  method_syntax_refused: { sql: "SELECT s.current_setting() AS t FROM (SELECT 'threads' AS s)", at: 's.current_setting', names: 's.current_setting()' },
  mixed_case: { sql: "SELECT * FROM Read_CSV('/etc/passwd')", at: 'Read_CSV', names: 'read_csv()' },
  upper_case: { sql: "SELECT CURRENT_SETTING('threads') AS t", at: 'CURRENT_SETTING', names: 'current_setting()' },
  quoted: { sql: "SELECT * FROM \"read_csv\"('/etc/passwd')", at: '"read_csv"', names: 'read_csv()' },
  quoted_mixed_case: { sql: 'SELECT * FROM "Duckdb_Secrets"()', at: '"Duckdb_Secrets"', names: 'duckdb_secrets()' },
  scalar_use_of_table_function: { sql: "SELECT read_text('/etc/hostname') AS t", at: 'read_text', names: 'read_text()' },
  table_function_not_listed: { sql: 'SELECT * FROM repeat_row(1, num_rows := 3)', at: 'repeat_row', names: 'repeat_row()' },
  collation_function: { sql: "SELECT icu_collate_de('a') AS k", at: 'icu_collate_de', names: 'icu_collate_de()' },
};

/** Metrics that must keep building: DuckDB's SQL as analysts write it, one family of functions per metric. */
const BENIGN: Record<string, string> = {
  good: 'SELECT count(*) AS n FROM orders',
  strings: "SELECT upper(status) AS u, lower(status) AS l, status || '!' AS e, concat('a', status) AS c, lpad(status, 10, '.') AS p, length(status) AS n, trim('  x ') AS t, replace(status, 'p', 'P') AS r, left(status, 2) AS lf, split_part('a-b', '-', 2) AS s, format('{}-{}', 1, 2) AS f, printf('%d', 3) AS pr, md5(status) AS m, sha256(status) AS h, starts_with(status, 'p') AS sw, contains(status, 'ace') AS ct, reverse(status) AS rv, strip_accents('é') AS sa FROM orders",
  patterns: "SELECT status LIKE 'p%' AS a, status ILIKE 'P%' AS b, status NOT LIKE 'x%' AS c, status SIMILAR TO 'pl.*' AS d, status GLOB 'p*' AS e, regexp_matches(status, '^p') AS f, regexp_replace(status, 'e', 'E', 'g') AS g, regexp_extract(status, '(p)', 1) AS h, status ^@ 'pl' AS i, status ~ 'p.*' AS j FROM orders",
  math: 'SELECT round(amount, 1) AS r, abs(-amount) AS a, ceil(amount) AS c, floor(amount) AS f, sqrt(amount) AS s, power(amount, 2) AS p, ln(amount) AS l, log10(amount) AS g, amount % 2 AS m, 7 // 2 AS d, 2 ** 3 AS e, greatest(amount, 5) AS gr, least(amount, 5) AS le, pi() AS pi, sign(-1) AS sg, trunc(amount) AS t, 1 << 2 AS sh, 5 & 3 AS band, 5 | 3 AS bor, xor(5, 3) AS x, -amount AS neg, @ -2 AS ab, 3! AS fact FROM orders',
  dates: "SELECT date_trunc('month', ordered_at) AS m, date_part('year', ordered_at) AS y, EXTRACT(month FROM ordered_at) AS em, strftime(ordered_at, '%Y/%m') AS s, strptime('2024-01-01', '%Y-%m-%d') AS p, make_date(2024, 1, 2) AS md, age(DATE '2024-03-01', ordered_at) AS a, date_diff('day', ordered_at, DATE '2024-03-01') AS dd, ordered_at + INTERVAL 1 DAY AS nx, ordered_at - INTERVAL '2 hours' AS pv, last_day(ordered_at) AS ld, dayname(ordered_at) AS dn, time_bucket(INTERVAL 7 DAY, ordered_at) AS tb, epoch(ordered_at::TIMESTAMP) AS ep, year(ordered_at) AS yr, current_date >= ordered_at AS past, now() > ordered_at AS past2, today() AS td FROM orders",
  lists: 'SELECT [1, 2, 3] AS l, list_transform([1, 2], x -> x * 2) AS t, list_filter([1, 2, 3], x -> x > 1) AS f, [x + 1 FOR x IN [1, 2] IF x > 1] AS c, list_sum([1, 2]) AS s, len([1, 2]) AS n, array_length([1]) AS al, list_sort([3, 1]) AS so, flatten([[1], [2]]) AS fl, [1, 2, 3][2] AS e, [1, 2, 3][2:3] AS sl, list_contains([1], 1) AS lc, 1 IN [1, 2] AS inl, list_reduce([1, 2, 3], (a, b) -> a + b) AS r, range(3) AS rg, generate_series(1, 3) AS gs, list_aggregate([1, 2], \'sum\') AS la, list_distinct([1, 1]) AS ld, array_to_string([1, 2], \',\') AS ats, [1] || [2] AS cat, list_value(1, 2) AS lv',
  structs_maps: "SELECT {'a': 1, 'b': 'x'} AS s, {'a': 1}.a AS sa, struct_pack(k := 1) AS sp, struct_extract({'a': 2}, 'a') AS se, struct_extract_at(row(1, 2), 1) AS r, struct_extract_at((1, 2), 2) AS t, MAP {'k': 1} AS m, map_keys(MAP {'k': 1}) AS mk, map_extract(MAP {'k': 1}, 'k') AS me, cardinality(MAP {'k': 1}) AS c, union_value(n := 1) AS u",
  json: "SELECT json_extract('{\"a\": 1}', '$.a') AS e, '{\"a\": {\"b\": 2}}'::JSON ->> '$.a.b' AS b, '{\"a\": 3}'::JSON -> 'a' AS arrow, to_json({'x': 1}) AS t, json_object('k', 1) AS o, json_array(1, 2) AS ar, json_valid('{}') AS v, json_keys('{\"a\": 1}') AS k, json_structure('{\"a\": 1}') AS st, json_extract_string('{\"a\": \"x\"}', '$.a') AS es",
  aggregates: "SELECT count(*) AS n, count(DISTINCT customer_id) AS c, sum(amount) AS s, avg(amount) AS a, min(amount) AS mn, max(amount) AS mx, median(amount) AS md, quantile_cont(amount, 0.5) AS q, approx_count_distinct(status) AS ad, mode(status) AS mo, stddev(amount) AS sd, arg_max(order_id, amount) AS am, list(order_id ORDER BY order_id) AS l, string_agg(status, ',' ORDER BY status) AS sa, bool_and(amount > 0) AS ba, count_if(amount > 5) AS ci, first(status ORDER BY order_id) AS f, histogram(status) AS h, sum(amount) FILTER (WHERE status = 'placed') AS fp, percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS pc, json_group_array(order_id) AS jg FROM orders",
  windows: 'SELECT order_id, row_number() OVER w AS rn, rank() OVER w AS rk, dense_rank() OVER w AS dr, lag(amount) OVER w AS lg, lead(amount, 1, 0) OVER w AS ld, ntile(2) OVER w AS nt, sum(amount) OVER (PARTITION BY customer_id) AS cs, first_value(amount) OVER w AS fv, cume_dist() OVER w AS cd, percent_rank() OVER w AS pr, avg(amount) OVER (ORDER BY order_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS ma FROM orders WINDOW w AS (ORDER BY amount)',
  qualify: 'SELECT * FROM orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC) = 1',
  casts_conditionals: "SELECT amount::INTEGER AS i, CAST(amount AS VARCHAR) AS v, TRY_CAST('x' AS INTEGER) AS t, typeof(amount) AS ty, CASE WHEN amount > 5 THEN 'big' ELSE 'small' END AS size, coalesce(NULL, amount) AS co, nullif(amount, 0) AS nu, ifnull(NULL, 1) AS ifn, IF(amount > 5, 1, 0) AS iff, amount BETWEEN 1 AND 6 AS bt, amount IS DISTINCT FROM NULL AS idf, status IN ('placed', 'x') AS inn, amount IS NOT NULL AS nn, NOT (amount > 1) AS nt, pg_typeof(amount) AS pt FROM orders",
  random_uuid: 'SELECT random() < 2 AS r, uuid() IS NOT NULL AS u, gen_random_uuid() IS NOT NULL AS g, uuidv7() IS NOT NULL AS u7',
  names: 'SELECT current_database() AS d, current_schema() AS s, current_user AS u, current_catalog AS c, session_user AS su, current_date AS cd, current_timestamp AS ct, localtimestamp AS lt',
  table_functions: "SELECT r.range AS n, g.generate_series AS g, u.x AS u, j.key AS k FROM range(3) r, generate_series(1, 3) g, unnest([10, 20]) u(x), json_each('{\"a\": 1}') j LIMIT 100",
  json_tree: "SELECT count(*) AS n FROM json_tree('{\"a\": [1, 2]}')",
  unnest_select: "SELECT unnest([1, 2, 3]) AS x, unnest({'a': 1, 'b': 2})",
  method_syntax: "SELECT s.upper() AS u, s.length() AS n FROM (SELECT 'abc' AS s)",
  qualified_builtins: "SELECT main.upper('a') AS u, system.main.lower('B') AS l, pg_catalog.pg_typeof(1) AS t",
  static_pivot: "PIVOT orders ON status IN ('placed', 'shipped') USING sum(amount) GROUP BY customer_id",
  unpivot: 'UNPIVOT (SELECT order_id, customer_id, status FROM orders) ON order_id, customer_id INTO NAME k VALUE v',
  grouping_sets: 'SELECT customer_id, status, count(*) AS n, grouping(customer_id) AS g FROM orders GROUP BY GROUPING SETS ((customer_id), (status), ())',
  rollup: 'SELECT customer_id, status, sum(amount) AS s FROM orders GROUP BY ROLLUP (customer_id, status)',
  recursive: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r',
  star_modifiers: 'SELECT * EXCLUDE (status) REPLACE (amount * 2 AS amount), COLUMNS(\'order.*\') AS c FROM orders',
  columns_lambda: "SELECT max(COLUMNS(c -> c LIKE '%_id')) FROM orders",
  asof_self_join: 'SELECT a.order_id, b.order_id AS prev FROM orders a ASOF JOIN orders b ON a.customer_id = b.customer_id AND a.ordered_at > b.ordered_at',
  from_first: 'FROM orders SELECT customer_id, sum(amount) AS s GROUP BY ALL ORDER BY ALL',
  values: "VALUES (1, 'a'), (2, 'b')",
  set_operations: 'SELECT order_id FROM orders UNION SELECT 10 EXCEPT SELECT 2 INTERSECT SELECT 1',
  text_similarity: "SELECT levenshtein('kitten', 'sitting') AS l, jaro_winkler_similarity('a', 'b') AS j, hamming('ab', 'ac') AS h",
  collate: 'SELECT status FROM orders ORDER BY status COLLATE nocase',
  state_schema: 'SELECT count(*) AS runs FROM _duckmetrics.runs',
  typed_literals: "SELECT DATE '2024-01-01' AS d, TIMESTAMP '2024-01-01 10:00' AS t, INTERVAL 3 DAY AS i, 'x'::VARCHAR AS v, [1, 2]::INTEGER[] AS l, {'a': 1}::STRUCT(a INTEGER) AS s, 1.5::DECIMAL(10, 2) AS dec",
  comment_mentions_functions: "-- not: read_csv('/etc/passwd'), duckdb_secrets()\nSELECT 'read_csv(''/etc/passwd'')' AS s /* current_setting() */",
};

function resolve(h: Hostile, dir: string): string {
  return typeof h.sql === 'string' ? h.sql : h.sql(dir);
}

/** Line and column in the metric file (metricYaml puts the SQL at line 6, indented by 2) of `text`'s first occurrence. */
function positionOf(sql: string, text: string): { line: number; column: number } {
  const offset = sql.indexOf(text);
  if (offset < 0) throw new Error(`"${text}" is not in ${sql}`);
  const before = sql.slice(0, offset);
  return { line: 6 + (before.match(/\n/g)?.length ?? 0), column: 3 + offset - (before.lastIndexOf('\n') + 1) };
}

async function corpusProject(config: UserConfig = {}): Promise<Engine> {
  project = await projectDir({ 'data/orders.csv': orders });
  const files: Record<string, string> = {};
  for (const [name, h] of Object.entries(HOSTILE)) files[`metrics/${name}.yaml`] = metricYaml({ metric_name: name, sql: resolve(h, project.dir) });
  for (const [name, sql] of Object.entries(BENIGN)) files[`metrics/${name}.yaml`] = metricYaml({ metric_name: name, sql });
  await project.write(files);
  engine = createEngine({ cwd: project.dir, config });
  expect((await engine.load()).ok).toBe(true);
  return engine;
}

function byName<T extends { name: string | null }>(results: T[]): Record<string, T> {
  return Object.fromEntries(results.map((r) => [r.name ?? '', r]));
}

/** No diagnostic is an internal error or carries a stack trace. */
function expectClean(diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code, d.message).not.toMatch(/INTERNAL|PLUGIN_ERROR/);
    expect(d.message).not.toMatch(/\n\s+at |INTERNAL Error|terminate called/);
  }
}

function expectSandboxed(name: string, errors: Diagnostic[], dir: string): void {
  const h = HOSTILE[name]!;
  const sql = resolve(h, dir);
  expect(errors.length, `${name}: ${JSON.stringify(errors)}`).toBeGreaterThan(0);
  expect(errors.every((d) => d.code === 'SANDBOX'), `${name}: ${errors.map((d) => d.code).join(', ')}`).toBe(true);
  expect(errors[0], name).toMatchObject({ severity: 'error', code: 'SANDBOX', file: `metrics/${name}.yaml`, ...positionOf(sql, h.at) });
  expect(errors[0]?.message, name).toContain(h.names);
  expect(errors[0]?.hint, name).toContain('docs/security.md');
  expect(errors[0]?.frame, name).toContain('^');
  expectClean(errors);
}

describe('the allow-list: validate refuses what is not known to be pure, at its line and column', () => {
  it(`finds every one of ${Object.keys(HOSTILE).length} hostile metrics, and leaves ${Object.keys(BENIGN).length} benign ones valid`, async () => {
    const e = await corpusProject();
    const result = byName<MetricValidation>((await e.validate()).metrics);
    for (const name of Object.keys(HOSTILE)) {
      expect(result[name]?.status, name).toBe('invalid');
      expectSandboxed(name, result[name]!.errors, project!.dir);
    }
    for (const name of Object.keys(BENIGN)) expect(result[name]?.errors, name).toEqual([]);
  });
});

describe('validate and run agree', () => {
  const configs: Array<[string, UserConfig]> = [['default plugins', {}], ['no validator (csv only), 2 threads', { plugins: [csv()], threads: 2 }]];
  for (const [label, config] of configs) {
    it(`run (${label}) never builds a hostile metric, builds every benign one, and leaves the sources and the files alone`, async () => {
      const e = await corpusProject(config);
      const validated = byName<MetricValidation>((await e.validate()).metrics);
      const run = await e.run();
      const result = byName<MetricRunResult>(run.metrics);
      for (const name of Object.keys(HOSTILE)) {
        expect(result[name], name).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'SANDBOX' } });
        expect(result[name]?.errors, name).toEqual(validated[name]?.errors);
        expectSandboxed(name, result[name]!.errors ?? [], project!.dir);
      }
      for (const name of Object.keys(BENIGN)) expect(result[name], `${name}: ${JSON.stringify(result[name]?.error)}`).toMatchObject({ status: 'success' });
      expect(run.metrics.every((m) => m.status === 'success' || m.reason === 'invalid')).toBe(true);
      expectClean(run.metrics.flatMap((m) => m.errors ?? []));
      expect(await e.query('SELECT count(*) AS n, sum(amount) AS s FROM orders')).toEqual([{ n: 3, s: 17 }]);
      expect(existsSync(project!.path('logs'))).toBe(false);
      expect(existsSync(project!.path('profile.json'))).toBe(false);
      const built = await e.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'");
      expect(built.map((t) => t.name).sort()).toEqual(['orders', ...Object.keys(BENIGN)].sort());
      // Nothing turned logging on: the instance still answers, and its log is empty.
      expect(await e.query('SELECT count(*)::INTEGER AS n FROM duckdb_logs()')).toEqual([{ n: 0 }]);
    });
  }

  it('a second run builds nothing new and refuses the same metrics the same way', async () => {
    const e = await corpusProject({ plugins: [csv()] });
    const first = byName((await e.run()).metrics);
    const second = byName((await e.run()).metrics);
    for (const name of Object.keys(HOSTILE)) expect(second[name]?.errors, name).toEqual(first[name]?.errors);
    for (const name of Object.keys(BENIGN)) expect(second[name]?.status, name).toMatch(/success|skipped/);
  });
});

describe('statements DuckDB treats specially get their own words, at validate', () => {
  const SHAPES: Record<string, { sql: string; code: string; message: RegExp; at?: string }> = {
    summarize: { sql: 'SUMMARIZE orders', code: 'SQL_NOT_SELECT', message: /found a SUMMARIZE statement/ },
    summarize_query: { sql: 'SUMMARIZE SELECT amount FROM orders', code: 'SQL_NOT_SELECT', message: /found a SUMMARIZE statement/ },
    describe: { sql: 'DESCRIBE orders', code: 'SQL_NOT_SELECT', message: /found a DESCRIBE statement/ },
    describe_lower: { sql: '-- columns\ndescribe orders', code: 'SQL_NOT_SELECT', message: /found a DESCRIBE statement/ },
    show_table: { sql: 'SHOW orders', code: 'SQL_NOT_SELECT', message: /found a SHOW statement/ },
    show_tables: { sql: 'SHOW TABLES', code: 'SQL_NOT_SELECT', message: /found a SHOW statement/ },
    show_all_tables: { sql: 'SHOW ALL TABLES', code: 'SQL_NOT_SELECT', message: /found a SHOW statement/ },
    dynamic_pivot: { sql: 'PIVOT orders ON status USING sum(amount)', code: 'SQL_NOT_SELECT', message: /dynamic PIVOT \(ON without IN/, at: 'PIVOT' },
    dynamic_pivot_two_columns: { sql: 'PIVOT orders ON status, customer_id USING sum(amount)', code: 'SQL_NOT_SELECT', message: /dynamic PIVOT/, at: 'PIVOT' },
    dynamic_pivot_wider: { sql: 'PIVOT_WIDER orders ON status USING sum(amount)', code: 'SQL_NOT_SELECT', message: /dynamic PIVOT/, at: 'PIVOT_WIDER' },
    dynamic_pivot_in_subquery: { sql: 'SELECT *\nFROM (PIVOT orders ON status USING sum(amount))', code: 'SQL_NOT_SELECT', message: /dynamic PIVOT/, at: 'PIVOT' },
    dynamic_pivot_in_cte: { sql: "WITH p AS (PIVOT orders ON status USING count(*))\nSELECT * FROM p -- PIVOT 'x'", code: 'SQL_NOT_SELECT', message: /dynamic PIVOT/, at: 'PIVOT' },
    pivot_and_another: { sql: 'SELECT 1 AS x; PIVOT orders ON status USING sum(amount)', code: 'SQL_MULTIPLE_STATEMENTS', message: /found 2$/ },
    summarize_and_another: { sql: 'SUMMARIZE orders; SELECT 1', code: 'SQL_MULTIPLE_STATEMENTS', message: /found 2$/ },
    create_as_pivot: { sql: 'CREATE TABLE x AS PIVOT orders ON status USING sum(amount)', code: 'SQL_NOT_SELECT', message: /found a CREATE statement/ },
  };

  it('SUMMARIZE / DESCRIBE / SHOW are not a SELECT, a dynamic PIVOT is one statement (not "found 2"); the same in run', async () => {
    project = await projectDir({ 'data/orders.csv': orders, 'metrics/good.yaml': metricYaml({ metric_name: 'good', sql: 'SELECT 1 AS x' }) });
    const files: Record<string, string> = {};
    for (const [name, s] of Object.entries(SHAPES)) files[`metrics/${name}.yaml`] = metricYaml({ metric_name: name, sql: s.sql });
    await project.write(files);
    for (const config of [{}, { plugins: [csv()] }]) {
      engine = createEngine({ cwd: project.dir, config });
      await engine.load();
      const validated = byName((await engine.validate()).metrics);
      const run = byName((await engine.run()).metrics);
      for (const [name, s] of Object.entries(SHAPES)) {
        const errors = validated[name]!.errors;
        expect(errors.map((d) => d.code), name).toEqual([s.code]);
        expect(errors[0]?.message, name).toMatch(s.message);
        expect(errors[0], name).toMatchObject({ file: `metrics/${name}.yaml`, ...(s.at ? positionOf(s.sql, s.at) : { line: 6 }) });
        expect(run[name], name).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: s.code } });
        expectClean(errors);
      }
      expect(run.good?.status).toMatch(/success|skipped/);
      await engine.close();
    }
    engine = undefined;
  });
});

describe('checks are held to the same list', () => {
  it("an expression or sql check that calls a refused function is SANDBOX at the check's line; the metric is not built", async () => {
    const header = 'metric_name: m\ndescription: d\nowner: o\nschedule: "0 6 * * *"\nsql: SELECT order_id, amount FROM orders\n';
    project = await projectDir({
      'data/orders.csv': orders,
      'metrics/m.yaml': `${header}checks:\n  - expression: "current_setting('threads') IS NOT NULL"\n  - sql: "SELECT * FROM {{ this }}, duckdb_secrets()"\n  - expression: "amount >= 0"\n`,
      'metrics/fine.yaml': `${header.replace('metric_name: m', 'metric_name: fine')}checks:\n  - expression: "round(amount) >= 0 AND upper('x') = 'X'"\n  - sql: "SELECT * FROM {{ this }} WHERE amount < 0"\n`,
    });
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv()] } });
    await engine.load();
    const validated = byName((await engine.validate()).metrics);
    expect(validated.m?.errors.map((d) => [d.code, d.line, d.column])).toEqual([['SANDBOX', 7, 5], ['SANDBOX', 8, 5]]);
    expect(validated.m?.errors[0]?.message).toMatch(/^check expression\(.*\): function current_setting\(\) is not allowed/);
    expect(validated.m?.errors[1]?.message).toContain('duckdb_secrets()');
    expect(validated.fine?.errors).toEqual([]);
    const run = byName((await engine.run()).metrics);
    expect(run.m).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'SANDBOX', line: 7 } });
    expect(run.fine?.status).toBe('success');
    await expect(engine.query('SELECT count(*) AS n FROM m')).rejects.toThrow();
  });
});

describe('names the lists do not hold', () => {
  /** A plugin that defines macros before the lockdown, as a trusted config may. */
  const macros = definePlugin({
    name: 'macros',
    async loadSources(ctx) {
      await ctx.db.run('CREATE OR REPLACE MACRO double_it(x) AS x * 2');
      await ctx.db.run('CREATE SCHEMA IF NOT EXISTS util');
      await ctx.db.run("CREATE OR REPLACE MACRO util.upper(x) AS 'not the built-in'");
      return [];
    },
  });

  it("a typo is DuckDB's own error with its did-you-mean, in validate and run alike; a macro is SANDBOX; method syntax is its function", async () => {
    project = await projectDir({
      'data/orders.csv': orders,
      'metrics/typo.yaml': metricYaml({ metric_name: 'typo', sql: 'SELECT uper(status) AS s FROM orders' }),
      'metrics/typo_table.yaml': metricYaml({ metric_name: 'typo_table', sql: 'SELECT * FROM rang(3)' }),
      'metrics/typo_operator.yaml': metricYaml({ metric_name: 'typo_operator', sql: 'SELECT amount >>> 1 AS x FROM orders' }),
      'metrics/macro.yaml': metricYaml({ metric_name: 'macro', sql: 'SELECT double_it(amount) AS d FROM orders' }),
      'metrics/schema_macro.yaml': metricYaml({ metric_name: 'schema_macro', sql: "SELECT util.upper('a') AS u" }),
      'metrics/method.yaml': metricYaml({ metric_name: 'method', sql: 'SELECT status.upper() AS u FROM orders' }),
      'metrics/table_function_in_select.yaml': metricYaml({ metric_name: 'table_function_in_select', sql: "SELECT json_each('{}') AS j" }),
      'metrics/replacement_scan.yaml': metricYaml({ metric_name: 'replacement_scan', sql: "SELECT * FROM '/etc/passwd'" }),
    });
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv(), validateSql(), macros] } });
    await engine.load();
    const validated = byName((await engine.validate()).metrics);
    expect(validated.typo?.errors[0]).toMatchObject({ code: 'SQL_CATALOG', line: 6, message: expect.stringContaining('upper') });
    expect(validated.typo_table?.errors[0]?.code).toBe('SQL_CATALOG');
    expect(validated.typo_operator?.errors[0]?.code).toMatch(/^SQL_/);
    expect(validated.typo_operator?.errors[0]?.code).not.toBe('SANDBOX');
    expect(validated.macro?.errors[0]).toMatchObject({ code: 'SANDBOX', line: 6, column: 10, message: expect.stringContaining('double_it()') });
    expect(validated.schema_macro?.errors[0]).toMatchObject({ code: 'SANDBOX', line: 6, column: 10, message: expect.stringContaining('defined in schema util') });
    expect(validated.method?.errors).toEqual([]);
    expect(validated.table_function_in_select?.errors[0]?.code).toMatch(/^SQL_(BINDER|CATALOG)$/);
    // A file named as a table is not a function: the graph refuses it as an unknown table, before DuckDB's replacement scan.
    expect(validated.replacement_scan?.errors[0]).toMatchObject({ code: 'TABLE_UNKNOWN', line: 6, column: 17 });
    const run = byName((await engine.run()).metrics);
    for (const name of ['typo', 'typo_table', 'typo_operator', 'macro', 'schema_macro', 'table_function_in_select', 'replacement_scan']) {
      expect(run[name], name).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: validated[name]!.errors[0]!.code } });
    }
    expect(await engine.query('SELECT u FROM method ORDER BY u LIMIT 1')).toEqual([{ u: 'PLACED' }]);
  });

  it('without a validator a typo fails the build with the same code, never SANDBOX', async () => {
    project = await projectDir({ 'data/orders.csv': orders, 'metrics/typo.yaml': metricYaml({ metric_name: 'typo', sql: 'SELECT uper(status) AS s FROM orders' }) });
    engine = createEngine({ cwd: project.dir, config: { plugins: [csv()] } });
    await engine.load();
    expect((await engine.validate()).ok).toBe(true);
    expect((await engine.run()).metrics).toMatchObject([{ name: 'typo', status: 'failed', reason: 'build failed', error: { code: 'SQL_CATALOG' } }]);
  });
});

describe('sandbox: false turns the allow-list off with the lockdown', () => {
  it('lets a metric read settings and use any function again', async () => {
    project = await projectDir({
      'metrics/settings.yaml': metricYaml({ metric_name: 'settings', sql: "SELECT current_setting('enable_external_access') AS external, version() IS NOT NULL AS v" }),
      'metrics/summarized.yaml': metricYaml({ metric_name: 'summarized', sql: 'SUMMARIZE SELECT 1 AS x' }),
    });
    engine = createEngine({ cwd: project.dir, config: { sandbox: false, database: ':memory:' } });
    const result = byName((await engine.run()).metrics);
    expect(result.settings?.status).toBe('success');
    // The one-query rule stays on.
    expect(result.summarized).toMatchObject({ status: 'failed', error: { code: 'SQL_NOT_SELECT' } });
    expect(await engine.query('SELECT external FROM settings')).toEqual([{ external: true }]);
  });
});

/** The built CLI, as users run it (core's tests drive it here because --json output and the process are the point). */
const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

function cli(args: string[], cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

describe('the CLI: --json stays JSON and the process stays up', () => {
  it('validate --json says SANDBOX for every hostile metric, run --json says each failed as invalid, and nothing leaks to stdout', async () => {
    await corpusProject();
    await engine!.close();
    engine = undefined;
    const dir = project!.dir;
    expect((await cli(['setup'], dir)).code).toBe(0);
    const validate = await cli(['validate', '--json'], dir);
    const run = await cli(['run', '--json'], dir);
    for (const out of [validate, run]) {
      expect(out.signal).toBeNull();
      expect(out.code).toBe(1);
      // What DuckDB prints when logging or profiling is on: tab-separated log rows, the profiler's boxes.
      expect(out.stderr).not.toMatch(/terminate called|PermissionException|INTERNAL|Query Profiling|\tCONNECTION\t/);
      expect(out.stdout).not.toMatch(/\tCONNECTION\t|Query Profiling|Total Time:/);
    }
    const validated = byName<MetricValidation>((JSON.parse(validate.stdout) as { metrics: MetricValidation[] }).metrics);
    const built = byName<MetricRunResult>((JSON.parse(run.stdout) as { metrics: MetricRunResult[] }).metrics);
    for (const name of Object.keys(HOSTILE)) {
      expect(validated[name]?.errors[0], name).toMatchObject({ code: 'SANDBOX', file: `metrics/${name}.yaml`, ...positionOf(resolve(HOSTILE[name]!, dir), HOSTILE[name]!.at) });
      expect(built[name], name).toMatchObject({ status: 'failed', reason: 'invalid', error: { code: 'SANDBOX' } });
    }
    for (const name of Object.keys(BENIGN)) expect(built[name]?.status, name).toBe('success');
    expect(existsSync(project!.path('logs'))).toBe(false);
    expect(existsSync(project!.path('profile.json'))).toBe(false);
  });
});
