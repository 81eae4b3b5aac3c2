// The sandbox's allow-list: the DuckDB functions metric SQL may call, listed one by one, and why the others may not.

/**
 * Table functions metric SQL may read from (`FROM range(10)`, `JOIN unnest(…)`): they make rows out of their
 * arguments alone. Every other table function reads files, the catalog or the instance, or runs SQL from a string.
 */
export const ALLOWED_TABLE_FUNCTIONS: readonly string[] = ['range', 'generate_series', 'unnest', 'json_each', 'json_tree'];

/**
 * Scalar, aggregate and window functions, operators and built-in macros metric SQL may call, by category. Each one
 * computes its result from its arguments (and the rows it aggregates) alone; the only other inputs allowed are the
 * clock (`now()`), randomness (`random()`, `uuid()`) and the constant names of the current database and user.
 * Names are DuckDB's, lower case. Extend it deliberately: see "The allow-list" in docs/security.md.
 */
export const ALLOWED_FUNCTIONS: Readonly<Record<string, string>> = {
  operators: '!__postfix !~~ !~~* % & && * ** + - ->> / // <-> << <=> <@ >> @ @> ^ ^@ | || ~ ~~ ~~* ~~~',
  numeric: `abs acos acosh add asin asinh atan atan2 atanh bit_count bit_position bitstring cbrt ceil ceiling cos cosh
    cot degrees divide equi_width_bins even exp factorial fdiv floor fmod format_bytes formatreadabledecimalsize
    formatreadablesize gamma gcd get_bit greatest greatest_common_divisor isfinite isinf isnan lcm least
    least_common_multiple lgamma ln log log10 log2 mod multiply nextafter parse_formatted_bytes pi pow power radians
    round round_even roundbankers set_bit sign signbit sin sinh sqrt subtract tan tanh to_base trunc xor`,
  string: `ascii bar base64 bin bit_length char_length character_length chr concat concat_ws contains create_sort_key decode encode ends_with format
    from_base64 from_binary from_hex hash hex icu_sort_key ilike_escape instr lcase left left_grapheme len length
    length_grapheme like_escape lower lpad ltrim md5 md5_number md5_number_lower md5_number_upper nfc_normalize
    not_ilike_escape not_like_escape octet_length ord parse_dirname parse_dirpath parse_filename parse_path
    pg_size_pretty position prefix printf repeat replace reverse right right_grapheme rpad rtrim sha1 sha256 split
    split_part starts_with str_split string_split string_to_array strip_accents strlen strpos substr substring
    substring_grapheme suffix to_base64 to_binary to_hex translate trim ucase unbin unhex unicode upper url_decode
    url_encode`,
  text_similarity: 'damerau_levenshtein editdist3 hamming jaccard jaro_similarity jaro_winkler_similarity levenshtein mismatches',
  regex: `regexp_escape regexp_extract regexp_extract_all regexp_full_match regexp_matches regexp_replace
    regexp_split_to_array regexp_split_to_table str_split_regex string_split_regex`,
  date_time: `age ago century current_date current_localtime current_localtimestamp date_add date_diff date_part
    date_sub date_trunc datediff datepart datesub datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month
    decade epoch epoch_ms epoch_ns epoch_us era get_current_time get_current_timestamp hour isodow isoyear julian
    last_day make_date make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond
    millennium millisecond minute month monthname nanosecond normalized_interval now quarter second strftime strptime
    time_bucket timetz_byte_comparable timezone timezone_hour timezone_minute to_centuries to_days to_decades to_hours
    to_microseconds to_millennia to_milliseconds to_minutes to_months to_quarters to_seconds to_timestamp to_weeks
    to_years today transaction_timestamp try_strptime week weekday weekofyear year yearweek`,
  list: `aggregate apply array_aggr array_aggregate array_append array_apply array_cat array_concat array_contains
    array_cosine_distance array_cosine_similarity array_cross_product array_distance array_distinct array_dot_product
    array_extract array_filter array_grade_up array_has array_has_all array_has_any array_indexof array_inner_product
    array_intersect array_length array_negative_dot_product array_negative_inner_product array_pop_back
    array_pop_front array_position array_prepend array_push_back array_push_front array_reduce array_resize
    array_reverse array_reverse_sort array_select array_slice array_sort array_to_string
    array_to_string_comma_default array_transform array_unique array_value array_where array_zip filter flatten
    generate_series generate_subscripts grade_up list_aggr list_aggregate list_any_value list_append list_apply
    list_approx_count_distinct list_avg list_bit_and list_bit_or list_bit_xor list_bool_and list_bool_or list_cat
    list_concat list_contains list_cosine_distance list_cosine_similarity list_count list_distance list_distinct
    list_dot_product list_element list_entropy list_extract list_filter list_first list_grade_up list_has
    list_has_all list_has_any list_histogram list_indexof list_inner_product list_intersect list_kurtosis
    list_kurtosis_pop list_last list_mad list_max list_median list_min list_mode list_negative_dot_product
    list_negative_inner_product list_pack list_position list_prepend list_product list_reduce list_resize
    list_reverse list_reverse_sort list_select list_sem list_skewness list_slice list_sort list_stddev_pop
    list_stddev_samp list_string_agg list_sum list_transform list_unique list_value list_var_pop list_var_samp
    list_where list_zip range reduce unlist unnest unpivot_list`,
  struct_map_union: `cardinality element_at map map_concat map_contains map_contains_entry map_contains_value
    map_entries map_extract map_extract_value map_from_entries map_keys map_values remap_struct row struct_concat
    struct_contains struct_extract struct_extract_at struct_has struct_indexof struct_insert struct_keys struct_pack
    struct_position struct_update struct_values union_extract union_tag union_value`,
  json: `array_to_json from_json from_json_strict json json_array json_array_length json_contains json_exists
    json_extract json_extract_path json_extract_path_text json_extract_string json_group_array json_group_object
    json_group_structure json_keys json_merge_patch json_object json_pretty json_quote json_structure json_transform
    json_transform_strict json_type json_valid json_value row_to_json to_json`,
  types: `alias can_cast_implicitly cast_to_type enum_code enum_first enum_last enum_range enum_range_boundary get_type
    is_histogram_other_bin make_type pg_typeof replace_type typeof variant_bytes_to_variant variant_extract
    variant_normalize variant_to_parquet_variant variant_typeof`,
  geometry: 'st_asbinary st_astext st_aswkb st_aswkt st_crs st_geomfromwkb st_intersects_extent st_setcrs',
  random: 'gen_random_uuid random uuid uuid_extract_timestamp uuid_extract_version uuidv4 uuidv7',
  other: 'combine error finalize nullif switch current_catalog current_database current_role current_schema current_user session_user user',
  aggregates: `any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max arg_max_null
    arg_max_nulls_last arg_min arg_min_null arg_min_nulls_last argmax argmin array_agg avg bit_and bit_or bit_xor
    bitstring_agg bool_and bool_or corr count count_if count_star countif covar_pop covar_samp entropy favg first
    fsum geomean geometric_mean group_concat histogram histogram_exact kahan_sum kurtosis kurtosis_pop last list
    listagg mad max max_by mean median min min_by mode product quantile quantile_cont quantile_disc regr_avgx
    regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile sem skewness
    stddev stddev_pop stddev_samp string_agg sum sum_no_overflow sumkahan var_pop var_samp variance wavg
    weighted_avg`,
  window: 'cume_dist dense_rank fill first_value lag last_value lead nth_value ntile percent_rank rank rank_dense row_number',
};

/** Functions that name an aggregate in a string (`list_aggregate(l, 'sum')`): the named one is checked too. */
export const AGGREGATE_BY_NAME: ReadonlySet<string> = new Set(['aggregate', 'array_aggr', 'array_aggregate', 'list_aggr', 'list_aggregate']);

/** Why a DuckDB function is not on the list, and what to do instead; each group names its functions or a prefix. */
export interface RefusedGroup {
  /** What the functions do that metric SQL may not. */
  reason: string;
  /** What to write instead. */
  hint: string;
  names: readonly string[];
  prefixes?: readonly string[];
}

const list = (names: string): string[] => names.trim().split(/\s+/);

/**
 * The DuckDB functions deliberately left off the list, grouped by what they touch. Only hints come from here: a
 * function is allowed when it is on `ALLOWED_FUNCTIONS` / `ALLOWED_TABLE_FUNCTIONS`, never because it is missing
 * here. A test checks that every function of DuckDB's catalogue is in one list or the other, so a DuckDB upgrade
 * that adds functions fails until each one is classified.
 */
export const REFUSED_FUNCTIONS: readonly RefusedGroup[] = [
  {
    reason: 'reads files or URLs',
    hint: 'load the file as a source (a CSV in data/, or a source plugin) and read it by table name',
    names: list(`arrow_scan arrow_scan_dumb duckdb_external_file_cache glob parquet_bloom_probe parquet_file_metadata
      parquet_full_metadata parquet_kv_metadata parquet_metadata parquet_scan parquet_schema read_blob read_csv
      read_csv_auto read_duckdb read_json read_json_auto read_json_objects read_json_objects_auto read_ndjson
      read_ndjson_auto read_ndjson_objects read_parquet read_text sniff_csv`),
  },
  {
    reason: "turns DuckDB's logging or profiling on or off, writes to its log or reads it",
    hint: 'a metric only computes a table: remove the call (logging and profiling are set up by whoever runs duckmetrics, not by metric SQL)',
    names: list(`disable_logging disable_profiling duckdb_log_contexts duckdb_logs duckdb_logs_parsed duckdb_profiling_settings
      enable_logging enable_profiling parse_duckdb_log_message truncate_duckdb_logs write_log`),
  },
  {
    reason: 'reads or changes the DuckDB instance itself (settings, secrets, extensions, variables, sequences, the random seed, connections, storage)',
    hint: 'a metric only computes a table from sources and other metrics: remove the call',
    names: list(`check_peg_parser checkpoint currval current_connection_id current_query current_query_id current_schemas
      current_setting current_transaction_id disable_peg_parser duckdb_approx_database_count duckdb_connection_count
      duckdb_extensions duckdb_memory duckdb_optimizers duckdb_prepared_statements duckdb_secret_types duckdb_secrets
      duckdb_settings duckdb_temporary_files duckdb_variables enable_peg_parser force_checkpoint get_block_size
      getvariable in_search_path inet_client_addr inet_client_port inet_server_addr inet_server_port nextval
      pg_conf_load_time pg_postmaster_start_time pg_sleep setseed sleep_ms stats txid_current vector_type version
      which_secret`),
    prefixes: ['pragma_'],
  },
  {
    reason: "reads DuckDB's catalog (tables, columns, types, functions, privileges) instead of data",
    hint: 'read sources and other metrics by table name; duckmetrics knows their columns already',
    names: list(`col_description duckdb_columns duckdb_constraints duckdb_coordinate_systems duckdb_databases
      duckdb_dependencies duckdb_functions duckdb_indexes duckdb_keywords duckdb_schemas duckdb_sequences
      duckdb_table_sample duckdb_tables duckdb_types duckdb_views format_pg_type format_type map_to_pg_oid
      obj_description shobj_description summary`),
    prefixes: ['has_', 'pg_'],
  },
  {
    reason: 'runs SQL (or reads a table) named in a string, where duckmetrics cannot check it',
    hint: 'write the query itself in the metric (a CTE for each step); read tables by name, not by a string',
    names: list(`histogram histogram_values json_deserialize_sql json_execute_serialized_sql json_serialize_plan json_serialize_sql
      query query_table sql_auto_complete`),
  },
  {
    reason: 'is internal to DuckDB (collations are written `COLLATE name`)',
    hint: 'use the SQL form (e.g. `ORDER BY name COLLATE de`) or a listed function',
    names: list('constant_or_null seq_scan'),
    prefixes: ['__internal_', 'icu_collate_'],
  },
  {
    reason: 'is a table function that is not on the list (only range, generate_series, unnest, json_each and json_tree are)',
    hint: 'build the rows with range(), generate_series() or unnest(), or read a source by table name',
    names: list('icu_calendar_names pg_timezone_names repeat repeat_row test_all_types test_vector_types'),
  },
];

/** The refused group a function belongs to: by name first, then by prefix (so listed `pg_typeof` is not caught by `pg_`). */
export function refusedGroup(name: string): RefusedGroup | undefined {
  const lower = name.toLowerCase();
  return REFUSED_FUNCTIONS.find((g) => g.names.includes(lower)) ?? REFUSED_FUNCTIONS.find((g) => (g.prefixes ?? []).some((p) => lower.startsWith(p)));
}

/** Every allowed function name, lower case. */
export const ALLOWED_FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.values(ALLOWED_FUNCTIONS).flatMap(list));

/** Allowed table function names, lower case. */
export const ALLOWED_TABLE_FUNCTION_NAMES: ReadonlySet<string> = new Set(ALLOWED_TABLE_FUNCTIONS);
