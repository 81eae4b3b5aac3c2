// One metric built into the preview schema as a run would build it (unit tests, SQL, audit), without publishing it.
import { runChecks } from '../checks/check-runner.ts';
import type { Database } from '../database/database.ts';
import { quoteIdent, trimStatement } from '../database/sql.ts';
import { checkDiagnostic, sqlErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { Metric } from '../metrics/metric.ts';
import type { BuildStepBuild } from '../project/build-plan.ts';
import { PREVIEW_SCHEMA } from '../project/namespace.ts';
import type { MetricRunResult, UnitTestResult } from '../results.ts';
import { BUILD_PREFIX_LINES } from './materialize.ts';
import { unitTestDiagnostic } from './unit-tests.ts';

/** What a preview build needs besides its step. */
export interface PreviewContext {
  checks: boolean;
  unitTests?: (metric: Metric, db: Database) => Promise<UnitTestResult[]>;
  signal: AbortSignal;
}

/**
 * Builds `step` into `_duckmetrics_preview` on `db`, whose search path puts the preview schema before `main`, so
 * the metric's SQL reads an upstream from the preview when the plan rebuilt it there and from the published table
 * otherwise (DuckDB resolves the SQL's table names; it is never rewritten). A table whose audit fails stays in the
 * preview to be looked at, and its result says `failed`; nothing published is touched. Never rejects.
 */
export async function buildPreview(step: BuildStepBuild, db: Database, warnings: MetricRunResult['warnings'], context: PreviewContext): Promise<MetricRunResult> {
  const { metric } = step;
  const t0 = performance.now();
  const outcome: MetricRunResult = { name: metric.name, file: metric.file, warnings, status: 'success', errors: [] };
  const done = (): MetricRunResult => {
    outcome.durationMs = Math.round(performance.now() - t0);
    if (outcome.errors[0]) outcome.error = outcome.errors[0];
    return outcome;
  };
  if (context.unitTests && metric.tests.length > 0) {
    const failed = (await context.unitTests(metric, db).catch((): UnitTestResult[] => [])).filter((t) => t.status !== 'pass');
    if (failed.length > 0) {
      Object.assign(outcome, { status: 'failed', reason: 'unit test failed', errors: failed.map((t) => unitTestDiagnostic(metric, t)) });
      return done();
    }
  }
  const target = `${PREVIEW_SCHEMA}.${quoteIdent(metric.name)}`;
  try {
    if (metric.materialized === 'view') {
      await db.run(`CREATE OR REPLACE VIEW ${target} AS\n${trimStatement(metric.sql)}\n`);
    } else {
      const [created] = await db.all<{ Count?: number }>(`CREATE OR REPLACE TABLE ${target} AS\n${trimStatement(metric.sql)}\n`);
      outcome.rows = created?.Count ?? Number((await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))[0]?.n ?? 0);
    }
  } catch (error) {
    Object.assign(outcome, {
      status: 'failed', reason: context.signal.aborted ? 'cancelled' : 'build failed',
      errors: [sqlErrorDiagnostic(metric, error, BUILD_PREFIX_LINES, 'nothing published was changed')],
    });
    return done();
  }
  const outcomes = context.checks ? await runChecks(db, metric.checks, metric.name, { schema: PREVIEW_SCHEMA }) : [];
  const failed = outcomes.filter((o) => o.check.severity === 'error' && o.status !== 'pass');
  outcome.warnings = [...outcome.warnings, ...outcomes.filter((o) => o.check.severity === 'warn' && o.status !== 'pass').map((o) => checkDiagnostic(metric, o))];
  if (failed.length > 0) Object.assign(outcome, { status: 'failed', reason: 'check failed', errors: failed.map((o) => checkDiagnostic(metric, o)) });
  return done();
}
