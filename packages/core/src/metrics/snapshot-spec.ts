// The `snapshot` key of a metric file: its schema piece and its normalisation into a `SnapshotSpec`, with positions.
import { didYouMean } from '../did-you-mean.ts';

/**
 * How a metric keeps its published versions in `snapshots.<metric>` (docs/snapshots.md).
 *
 * @example
 * ```ts
 * if (metric.snapshot?.key.length) console.log('versions per', metric.snapshot.key.join(', '));
 * ```
 */
export interface SnapshotSpec {
  /** Columns identifying a row: only changed, new and removed keys get a version. Empty: every build is a version of all rows. */
  key: string[];
  /** Retention as DuckDB interval text (`400 days`): versions closed longer ago than that are deleted. */
  keep?: string | undefined;
}

/** Sub-keys `snapshot:` may hold. */
export const SNAPSHOT_KEYS: readonly string[] = ['key', 'keep'];

/** Retention text: a whole number and a unit DuckDB's INTERVAL reads. */
export const KEEP_PATTERN: RegExp = /^\s*\d+\s*(hours?|days?|weeks?|months?|years?)\s*$/i;

/** JSON Schema of `snapshot:`, for editors. */
export const SNAPSHOT_JSON_SCHEMA: Record<string, unknown> = {
  description: 'Keep every published version in snapshots.<metric> (SCD type 2): true for all rows per build, or { key, keep } for versions per key with optional retention.',
  oneOf: [
    { type: 'boolean' },
    {
      type: 'object', additionalProperties: false,
      properties: {
        key: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Columns identifying a row: only changed, new and removed keys get a version.' },
        keep: { type: 'string', pattern: KEEP_PATTERN.source, description: 'Retention: versions closed longer ago than this are deleted, e.g. "400 days".' },
      },
    },
  ],
  examples: [true, { key: ['customer_unique_id'], keep: '400 days' }],
};

/** A problem with `snapshot:`: its message, hint and the key path to point at. */
export interface SnapshotProblem {
  message: string;
  hint: string;
  path: Array<string | number>;
}

/** The spec a valid `snapshot:` value means (undefined for absent or `false`), and its unknown sub-keys and rule breaks. */
export function normalizeSnapshot(value: unknown, materialized: 'table' | 'view'): { spec?: SnapshotSpec; problems: SnapshotProblem[] } {
  if (value === undefined || value === false) return { problems: [] };
  const problems: SnapshotProblem[] = [];
  if (materialized === 'view') problems.push({ message: 'snapshot needs a table: a view has no published rows to keep', hint: 'remove materialized: view, or remove snapshot', path: ['snapshot'] });
  if (value === true) return { spec: { key: [] }, problems };
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (SNAPSHOT_KEYS.includes(key)) continue;
    const suggestion = didYouMean(key, SNAPSHOT_KEYS);
    problems.push({ message: `unknown key "snapshot.${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, hint: suggestion ? `rename it to "${suggestion}"` : `snapshot takes ${SNAPSHOT_KEYS.join(' and ')}`, path: ['snapshot', key] });
  }
  const key = (object.key as string[] | undefined) ?? [];
  for (const column of key) {
    if (/^_valid_(from|to)$/i.test(column)) problems.push({ message: `snapshot.key names ${column}, a column duckmetrics adds to every version`, hint: 'key by the metric\'s own columns', path: ['snapshot', 'key'] });
  }
  const keep = typeof object.keep === 'string' ? object.keep.trim() : undefined;
  return { spec: { key, ...(keep === undefined ? {} : { keep }) }, problems };
}
