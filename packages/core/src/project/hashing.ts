// Hashes for skip-unchanged: a metric definition, and everything a build depends on.
import { createHash } from 'node:crypto';
import type { Metric } from '../metrics/metric.ts';

/** The version of @duckmetrics/core, baked in at build time; part of every build's input hash. */
export const CORE_VERSION: string = typeof __DUCKMETRICS_CORE_VERSION__ === 'string' ? __DUCKMETRICS_CORE_VERSION__ : '0.0.0-dev';

declare const __DUCKMETRICS_CORE_VERSION__: string | undefined;

/** Short sha256 of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Hash of what defines a metric's table: its normalized SQL (AST without positions), materialization and checks
 * (a new or changed check rebuilds the table, so it is audited before it is published again).
 */
export function definitionHash(metric: Metric, normalizedSqlHash: string | undefined): string {
  const checks = metric.checks.map((c) => ({ type: c.type, column: c.column, severity: c.severity, args: c.args }));
  // `snapshot` only when set, so metrics without it keep their hashes; setting it rebuilds, which writes the first version.
  return sha256(JSON.stringify({ sql: normalizedSqlHash ?? metric.sql, materialized: metric.materialized, checks, ...(metric.snapshot ? { snapshot: metric.snapshot } : {}) }));
}

/** Hash of everything a build depends on: definition, tool version and each upstream's fingerprint. */
export function inputHash(definition: string, upstream: Record<string, string>): string {
  const ups = Object.keys(upstream)
    .sort()
    .map((k) => [k, upstream[k]]);
  return sha256(JSON.stringify({ v: CORE_VERSION, definition, ups }));
}
