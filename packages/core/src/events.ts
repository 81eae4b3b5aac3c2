// The typed engine events (mitt) and their payloads.
import type { PlanResult, MetricPlan, PublishResult, RollbackResult } from './preview/plan-types.ts';
import type { CleanResult, LoadResult, MetricRunResult, RunResult, SourceResult, TestResult, ValidateResult } from './results.ts';

/**
 * Events the engine emits (mitt), by name, with their payloads. Handlers are for progress and observability;
 * lifecycle work happens in plugin hooks, which are awaited.
 *
 * @example
 * ```ts
 * engine.on('metric:end', (r) => console.log(r.name, r.status, r.rows));
 * ```
 * A type alias, not an interface: an event name that is not listed here is a compile error.
 */
export type EngineEvents = {
  'load:start': { plugins: string[] };
  'source:loaded': SourceResult;
  'load:end': LoadResult;
  'validate:start': { files: number };
  'validate:end': ValidateResult;
  'run:start': { metrics: string[] };
  'metric:start': { name: string; file: string };
  'metric:end': MetricRunResult;
  'run:end': RunResult;
  'test:end': TestResult;
  'clean:start': { all: boolean };
  'clean:end': CleanResult;
  'plan:start': { metrics: string[] };
  'plan:metric': MetricPlan;
  'plan:end': PlanResult;
  'publish:end': PublishResult;
  'rollback:end': RollbackResult;
};

/** Names of the engine's events. */
export type EngineEventName = keyof EngineEvents;
