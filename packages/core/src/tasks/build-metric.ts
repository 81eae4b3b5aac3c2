// One build step carried out: the first plugin's `materialize` hook, or core's write-audit-publish, as a result.
import type { Database } from '../database/database.ts';
import type { HookContext } from '../plugins/plugin.ts';
import type { PluginDriver } from '../plugins/plugin-driver.ts';
import { checkDiagnostic, pluginErrorDiagnostic, snapshotNote, sqlErrorDiagnostic } from '../metrics/metric-diagnostics.ts';
import type { BuildStepBuild } from '../project/build-plan.ts';
import { CORE_VERSION } from '../project/hashing.ts';
import type { MetricRunResult, UnitTestResult } from '../results.ts';
import type { JournalEntry } from '../state/builds.ts';
import { unitTestDiagnostic } from './unit-tests.ts';
import { DuckmetricsError } from '../errors.ts';
import { BUILD_PREFIX_LINES, ChecksFailedError, materializeMetric } from './materialize.ts';

/** What a build needs besides its step. */
export interface BuildContext {
  plugins: PluginDriver;
  ctx: HookContext;
  /** Run data checks before publishing. */
  checks: boolean;
  /**
   * Starts the metric's unit tests (on `db`'s column types), resolving once `db` is free again, with their results
   * to come; absent when tests are off (`--no-tests`).
   */
  unitTests?: (metric: BuildStepBuild['metric'], db: Database) => Promise<{ results: Promise<UnitTestResult[]> }>;
  signal: AbortSignal;
  /** Keep the replaced table as its previous version (`keepPreviousVersions`). */
  keepPrevious?: boolean;
  /** When a version written to `snapshots.<metric>` starts to be valid (the run's clock). */
  snapshotAt?: () => Date;
  /** Where each build core published puts its record, for the run to fold into the state (state/builds.ts). */
  journal?: JournalEntry[];
}

/** A unit test of the metric did not pass: the build was rolled back (its results are reported, not this). */
class UnitTestsFailedError extends Error {}

/**
 * Builds one metric on `db` and says how it went; never rejects. A failure leaves the previous table as it was
 * (the build's transaction is rolled back) and is reported with the metric's file and line.
 */
export async function buildMetric(step: BuildStepBuild, db: Database, warnings: MetricRunResult['warnings'], build: BuildContext): Promise<MetricRunResult> {
  const { metric, hashes } = step;
  const t0 = performance.now();
  const outcome: MetricRunResult = { name: metric.name, file: metric.file, warnings, status: 'success', errors: [] };
  // The unit tests run beside the build (each in an in-memory database of its own); the build publishes only once they passed.
  let tests: Promise<UnitTestResult[]> | undefined;
  const failedTests = async (): Promise<UnitTestResult[]> => ((await tests) ?? []).filter((t) => t.status !== 'pass');
  const gate = async (): Promise<void> => {
    const failed = await failedTests();
    if (failed.length > 0) throw new UnitTestsFailedError();
  };
  try {
    if (build.unitTests && metric.tests.length > 0) tests = (await build.unitTests(metric, db)).results;
    // A plugin's materialize hook publishes on its own: with one, the build waits for the tests.
    if (tests && build.plugins.plugins('materialize').length > 0) await gate();
    const built = await build.plugins.hookFirst('materialize', [metric, { ...build.ctx, db }]);
    let rows: number | null | undefined = built?.value.rows;
    if (rows === undefined) {
      const published = await materializeMetric(db, metric, step.existing, {
        ...(tests ? { gate } : {}), checks: build.checks, quarantined: step.quarantined === true, keepPrevious: build.keepPrevious === true, ...(build.snapshotAt ? { snapshotAt: build.snapshotAt() } : {}) });
      rows = published.rows;
      build.journal?.push({ ...hashes, toolVersion: CORE_VERSION, name: metric.name, file: metric.file, materialized: metric.materialized, rows, builtAt: new Date() });
      if (published.snapshot) {
        const { notes, ...counts } = published.snapshot;
        outcome.snapshot = counts;
        outcome.warnings = [...outcome.warnings, ...notes.map((n) => snapshotNote(metric, n))];
      }
      outcome.warnings = [...outcome.warnings, ...published.warnings.map((o) => checkDiagnostic(metric, o))];
    }
    if (rows !== null) outcome.rows = rows;
  } catch (error) {
    outcome.status = 'failed';
    // A failing unit test is the reason, whatever failed beside it (as when the tests ran before the build).
    const failed = await failedTests();
    if (failed.length > 0) {
      outcome.reason = 'unit test failed';
      outcome.errors = failed.map((t) => unitTestDiagnostic(metric, t));
    } else if (error instanceof ChecksFailedError) {
      outcome.reason = 'check failed';
      outcome.errors = error.failed.map((o) => checkDiagnostic(metric, o));
      outcome.warnings = [...outcome.warnings, ...error.warnings.map((o) => checkDiagnostic(metric, o))];
    } else {
      outcome.reason = build.signal.aborted ? 'cancelled' : error instanceof DuckmetricsError && error.code === 'SNAPSHOT' ? 'snapshot failed' : 'build failed';
      outcome.errors = [error instanceof DuckmetricsError && error.code === 'SNAPSHOT'
        ? snapshotNote(metric, error.message, 'error', error.hint)
        : error instanceof Error && error.name === 'PluginError'
        ? pluginErrorDiagnostic(error, metric.file)
        : sqlErrorDiagnostic(metric, error, BUILD_PREFIX_LINES, 'the previous table (if any) was kept')];
    }
    outcome.error = outcome.errors[0]!;
  }
  outcome.durationMs = Math.round(performance.now() - t0);
  return outcome;
}
