// The test verb (`duckmetrics test`): the selected metrics' unit tests, and their data checks against their current tables.
import { runChecks } from '../checks/check-runner.ts';
import type { CheckOutcome } from '../checks/check-runner.ts';
import type { Session } from '../engine/session.ts';
import { QUARANTINE_SCHEMA } from '../project/namespace.ts';
import { selectMetrics } from '../project/selection.ts';
import type { TestOptions } from '../engine/options.ts';
import type { CheckResult, TestResult, UnitTestResult } from '../results.ts';
import { readStateView } from '../state/state-view.ts';
import { runMetricTests } from './unit-tests.ts';
import { validateProject } from './validate.ts';

/**
 * Runs the unit tests of the selected metrics (each in its own in-memory database), then every check of the
 * selected metrics against their tables; a metric whose last audit failed is checked against its rejected result
 * in quarantine (`table` says so). A metric with neither gets an `error` per check. An invalid metric's tests are
 * `error`s naming its first problem.
 */
export async function testMetrics(session: Session, options: TestOptions): Promise<TestResult> {
  const runUnit = options.unit ?? options.data !== true;
  const runData = options.data ?? options.unit !== true;
  const config = await session.config();
  const db = await session.sandboxedDb();
  const state = await readStateView(db);
  const project = await validateProject(session, db, state);
  const chosen = selectMetrics({ metrics: project.order, upstream: project.upstream, downstream: project.downstream }, options);
  const tests: UnitTestResult[] = [];
  for (const metric of project.order) {
    if (!runUnit || !chosen.has(metric) || metric.tests.length === 0) continue;
    // Problems of the tests themselves are reported by each test; any other problem stops them all.
    const problem = project.entries.get(metric.file)!.errors.find((d) => !d.code.startsWith('TEST_'));
    if (problem) {
      for (const t of metric.tests) tests.push({ metric: metric.name, file: metric.file, test: t.name, line: problem.line ?? t.at.line, status: 'error', message: `the metric is invalid: ${problem.message}`, durationMs: 0 });
      continue;
    }
    tests.push(...(await runMetricTests(db, metric, project.parsed.get(metric), config, project.sourceColumns)));
  }
  const checks: CheckResult[] = [];
  for (const metric of project.order) {
    if (!runData || !chosen.has(metric) || metric.checks.length === 0) continue;
    const key = metric.name.toLowerCase();
    const built = state.tables.has(key) && state.metrics.has(key);
    // After a failed audit the rejected result is what needs looking at (also on a first build, with no table).
    const quarantined = state.quarantined.has(key);
    const outcomes: CheckOutcome[] = quarantined || built
      ? await runChecks(db, metric.checks, metric.name, { sample: options.sample ?? 5, ...(quarantined ? { schema: QUARANTINE_SCHEMA } : {}) })
      : metric.checks.map((check) => ({ check, status: 'error', failingRows: 0, message: `${check.name} could not run: table ${metric.name} is not built (run duckmetrics run)` }));
    for (const o of outcomes) {
      const r: CheckResult = {
        metric: metric.name, file: metric.file, check: o.check.name, type: o.check.type, severity: o.check.severity,
        status: o.status, failingRows: o.failingRows, message: o.message, line: o.check.at.line,
      };
      if (o.check.column !== undefined) r.column = o.check.column;
      if (o.sample !== undefined) r.sample = o.sample;
      if (o.query !== undefined) r.query = o.query;
      if (quarantined) r.table = `${QUARANTINE_SCHEMA}.${metric.name}`;
      checks.push(r);
    }
  }
  const result: TestResult = { ok: tests.every((t) => t.status === 'pass') && checks.every((c) => c.severity === 'warn' || c.status === 'pass'), tests, checks };
  session.emit('test:end', result);
  return result;
}
