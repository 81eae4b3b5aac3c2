// The `Metric` type: a metric file after it was read and checked.
import type { Check } from '../checks/checks.ts';
import type { MetricSemantics } from '../semantic/semantic-model.ts';
import type { UnitTest } from '../unit-tests/unit-test.ts';
import type { SnapshotSpec } from './snapshot-spec.ts';

/**
 * A documented column of a metric table.
 *
 * @example
 * ```ts
 * for (const column of metric.columns) console.log(`${column.name}: ${column.description ?? '(undocumented)'}`);
 * ```
 */
export interface MetricColumn {
  /** Column name. */
  name: string;
  /** What it holds. */
  description?: string | undefined;
  /** Data checks on the column, as written in the file. */
  checks?: unknown[] | undefined;
}

/**
 * One metric, as loaded from its YAML file. Plain data: it can be logged and serialised.
 *
 * @example
 * ```ts
 * engine.on('metric:start', ({ name }) => console.log('building', name));
 * const plugin = definePlugin({ name: 'x', validate: (metric: Metric) => (metric.owner ? [] : [...]) });
 * ```
 */
export interface Metric {
  /** `metric_name`: the name of the table it becomes. */
  name: string;
  /** Path of the YAML file relative to the project root. */
  file: string;
  /** Absolute path of the YAML file. */
  path: string;
  /** `description`. */
  description: string;
  /** `owner`. */
  owner: string;
  /** `schedule`: cron expression. */
  schedule: string;
  /** `sql`: the SELECT statement exactly as written (positions inside it map back to the file). */
  sql: string;
  /** `tags`, empty when absent. */
  tags: string[];
  /** `columns`, empty when absent. */
  columns: MetricColumn[];
  /** `materialized`: `table` (default) or `view`. */
  materialized: 'table' | 'view';
  /** `depends_on`: extra upstream tables, empty when absent. */
  dependsOn: string[];
  /** `unique_key`: the columns that identify a row (what `duckmetrics plan` matches rows by); empty when absent. */
  uniqueKey: string[];
  /** Every data check of the metric, column and metric level, normalized. */
  checks: Check[];
  /** `tests`: unit tests of the SQL, normalized; empty when absent. */
  tests: UnitTest[];
  /** `snapshot`: how published versions are kept in `snapshots.<name>`; absent when the metric keeps none. */
  snapshot?: SnapshotSpec | undefined;
  /** `time`, `dimensions` and `measures`, normalized; absent when the file declares none of them. */
  semantic?: MetricSemantics;
  /** 1-based line of the `sql:` value in the file. */
  sqlLine: number;
  /** 1-based line of `metric_name` in the file. */
  nameLine: number;
}
