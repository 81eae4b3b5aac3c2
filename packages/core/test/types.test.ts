// Type tests: they pin the public contract of @duckmetrics/core. `expectTypeOf` does nothing at run time; the
// checks are done by `tsc -p tsconfig.test.json` (the package's `typecheck` task, part of `npm test`).
import { describe, expectTypeOf, it } from 'vitest';
import { createEngine, defineConfig, definePlugin, HOOK_KINDS } from '@duckmetrics/core';
import type {
  Catalog,
  CheckResult,
  CleanResult,
  Database,
  Diagnostic,
  Engine,
  EngineEvents,
  HistoryEntry,
  HookContext,
  HookName,
  LoadResult,
  LoadSourcesOptions,
  Logger,
  MaterializeOutcome,
  Metric,
  MetricRunResult,
  MetricValidation,
  Plugin,
  PluginDiagnostic,
  PluginHooks,
  ResolvedConfig,
  RunOptions,
  RunResult,
  Severity,
  SourceLoad,
  SourceResult,
  TestResult,
  UnitTestResult,
  UserConfig,
  ValidateResult,
} from '@duckmetrics/core';

/** `true` when a value of type T survives JSON.stringify/parse unchanged: no bigint, Date, Map, function, unknown. */
type Leaf = string | number | boolean | null | undefined;
type AllTrue<U> = false extends U ? false : true;
type IsPlainMember<T> = T extends Leaf
  ? true
  : T extends bigint | symbol | Date | Map<unknown, unknown> | Set<unknown> | ((...args: never[]) => unknown)
    ? false
    : T extends readonly (infer U)[]
      ? AllTrue<IsPlainMember<U>>
      : T extends object
        ? AllTrue<{ [K in keyof T]-?: IsPlainMember<T[K]> }[keyof T]>
        : false;
type IsPlain<T> = unknown extends T ? false : AllTrue<IsPlainMember<T>>;

/** For checks that need a value of a type: the function is type-checked, never called. */
function typesOnly<A>(check: (value: A) => void): void {
  expectTypeOf(check).toBeFunction();
}

describe('defineConfig', () => {
  it('takes and returns a UserConfig', () => {
    expectTypeOf(defineConfig).parameter(0).toEqualTypeOf<UserConfig>();
    expectTypeOf(defineConfig({ database: 'metrics.duckdb' })).toEqualTypeOf<UserConfig>();
    expectTypeOf<UserConfig['database']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UserConfig['metricsDir']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UserConfig['plugins']>().toEqualTypeOf<Plugin[] | undefined>();
    // @ts-expect-error unknown keys are rejected
    defineConfig({ databse: 'typo.duckdb' });
    // @ts-expect-error plugins are objects with a name
    defineConfig({ plugins: ['csv'] });
  });

  it('resolves to absolute paths and a plugin list', () => {
    expectTypeOf<ResolvedConfig>().toExtend<{ root: string; database: string; metricsDir: string; plugins: Plugin[]; configFile?: string }>();
  });
});

describe('definePlugin and the hooks', () => {
  it('returns its input with its own type', () => {
    const plugin = definePlugin({ name: 'x', validate: () => [] });
    expectTypeOf(plugin).toExtend<Plugin>();
    expectTypeOf(plugin.name).toEqualTypeOf<string>();
    expectTypeOf(plugin.validate).toEqualTypeOf<() => never[]>();
  });

  it('has exactly four hooks, each with a fixed way of running', () => {
    expectTypeOf<HookName>().toEqualTypeOf<'loadSources' | 'validate' | 'materialize' | 'clean'>();
    expectTypeOf(HOOK_KINDS).toEqualTypeOf<Record<HookName, 'sequential' | 'first' | 'reverse'>>();
  });

  it('pins each hook signature', () => {
    expectTypeOf<PluginHooks['loadSources']>().parameters.toEqualTypeOf<[HookContext, LoadSourcesOptions]>();
    expectTypeOf<PluginHooks['loadSources']>().returns.toEqualTypeOf<Promise<SourceLoad[] | void> | SourceLoad[] | void>();
    expectTypeOf<PluginHooks['validate']>().parameters.toEqualTypeOf<[Metric, HookContext]>();
    expectTypeOf<PluginHooks['validate']>().returns.toEqualTypeOf<Promise<PluginDiagnostic[] | void> | PluginDiagnostic[] | void>();
    expectTypeOf<PluginHooks['materialize']>().parameters.toEqualTypeOf<[Metric, HookContext]>();
    expectTypeOf<PluginHooks['materialize']>().returns.toEqualTypeOf<Promise<MaterializeOutcome | undefined | void> | MaterializeOutcome | undefined | void>();
    expectTypeOf<PluginHooks['clean']>().parameters.toEqualTypeOf<[HookContext, { all: boolean }]>();
    expectTypeOf<PluginHooks['clean']>().returns.toEqualTypeOf<Promise<void> | void>();
    expectTypeOf<LoadSourcesOptions['previous']>().toEqualTypeOf<ReadonlyMap<string, { fingerprint: string | null; rows: number | null }>>();
    expectTypeOf<MaterializeOutcome>().toEqualTypeOf<{ rows: number }>();
  });

  it('types hook arguments from context, in both hook forms', () => {
    definePlugin({
      name: 'typed',
      loadSources(ctx, options) {
        expectTypeOf(ctx).toEqualTypeOf<HookContext>();
        expectTypeOf(options).toEqualTypeOf<LoadSourcesOptions>();
        return [{ name: 't', rows: 1, fingerprint: 'f' }];
      },
      validate: {
        order: 'post',
        handler(metric, ctx) {
          expectTypeOf(metric).toEqualTypeOf<Metric>();
          expectTypeOf(ctx).toEqualTypeOf<HookContext>();
          return [{ code: 'X', message: 'm', sqlOffset: 0 }];
        },
      },
      async materialize(metric) {
        expectTypeOf(metric.sql).toEqualTypeOf<string>();
        return { rows: 1 };
      },
      clean(_ctx, { all }) {
        expectTypeOf(all).toEqualTypeOf<boolean>();
      },
    });
  });

  it('rejects wrong hook shapes', () => {
    // @ts-expect-error a plugin needs a name
    definePlugin({ validate: () => [] });
    // @ts-expect-error validate returns diagnostics
    definePlugin({ name: 'x', validate: () => 42 });
    // @ts-expect-error a diagnostic needs a code and a message
    definePlugin({ name: 'x', validate: () => [{ message: 'no code' }] });
    // @ts-expect-error order is pre or post, not a number
    definePlugin({ name: 'x', validate: { order: 10, handler: () => [] } });
    // @ts-expect-error materialize returns { rows } or nothing
    definePlugin({ name: 'x', materialize: () => ({ count: 1 }) });
  });

  it('hands hooks a small, typed context', () => {
    expectTypeOf<keyof HookContext>().toEqualTypeOf<'config' | 'db' | 'logger' | 'emit' | 'signal'>();
    expectTypeOf<HookContext['db']>().toEqualTypeOf<Database>();
    expectTypeOf<HookContext['logger']>().toEqualTypeOf<Logger>();
    expectTypeOf<HookContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<Database['run']>().toEqualTypeOf<(sql: string) => Promise<void>>();
    expectTypeOf<Database['countStatements']>().toEqualTypeOf<(sql: string) => Promise<number>>();
    typesOnly((ctx: HookContext) => {
      expectTypeOf(ctx.db.all('SELECT 1')).resolves.toEqualTypeOf<Record<string, unknown>[]>();
      expectTypeOf(ctx.db.all<{ n: number }>('SELECT 1 AS n')).resolves.toEqualTypeOf<{ n: number }[]>();
    });
  });

  it('diagnostics: severity is required in results and optional from plugins', () => {
    expectTypeOf<Severity>().toEqualTypeOf<'error' | 'warning'>();
    expectTypeOf<Diagnostic['severity']>().toEqualTypeOf<Severity>();
    expectTypeOf<PluginDiagnostic['severity']>().toEqualTypeOf<Severity | undefined>();
    expectTypeOf<PluginDiagnostic>().toExtend<{ code: string; message: string; sqlLine?: number; sqlColumn?: number; sqlOffset?: number; line?: number; hint?: string }>();
    expectTypeOf<Diagnostic>().toExtend<{ code: string; message: string; file?: string; line?: number; column?: number; plugin?: string; hook?: string; hint?: string; frame?: string }>();
  });
});

describe('the engine', () => {
  it('createEngine returns an Engine with typed results', () => {
    expectTypeOf(createEngine).returns.toEqualTypeOf<Engine>();
    expectTypeOf<Engine['load']>().returns.resolves.toEqualTypeOf<LoadResult>();
    expectTypeOf<Engine['validate']>().returns.resolves.toEqualTypeOf<ValidateResult>();
    expectTypeOf<Engine['run']>().returns.resolves.toEqualTypeOf<RunResult>();
    expectTypeOf<Engine['clean']>().returns.resolves.toEqualTypeOf<CleanResult>();
    expectTypeOf<Engine['test']>().returns.resolves.toEqualTypeOf<TestResult>();
    expectTypeOf<Engine['catalog']>().returns.resolves.toEqualTypeOf<Catalog>();
    expectTypeOf<Engine['history']>().returns.resolves.toEqualTypeOf<HistoryEntry[]>();
    expectTypeOf<Engine['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Engine['config']>().returns.resolves.toEqualTypeOf<ResolvedConfig>();
    expectTypeOf<RunOptions>().toExtend<{ signal?: AbortSignal; select?: string[]; exclude?: string[] }>();
  });

  it('query rows default to plain records and take a row type', () => {
    typesOnly((engine: Engine) => {
      expectTypeOf(engine.query('SELECT 1')).resolves.toEqualTypeOf<Record<string, unknown>[]>();
      expectTypeOf(engine.query<{ x: number }>('SELECT 1 AS x')).resolves.toEqualTypeOf<{ x: number }[]>();
    });
  });

  it('types each event payload by name', () => {
    typesOnly((engine: Engine) => {
      engine.on('load:start', (p) => expectTypeOf(p).toEqualTypeOf<{ plugins: string[] }>());
      engine.on('source:loaded', (p) => expectTypeOf(p).toEqualTypeOf<SourceResult>());
      engine.on('load:end', (p) => expectTypeOf(p).toEqualTypeOf<LoadResult>());
      engine.on('validate:start', (p) => expectTypeOf(p).toEqualTypeOf<{ files: number }>());
      engine.on('validate:end', (p) => expectTypeOf(p).toEqualTypeOf<ValidateResult>());
      engine.on('run:start', (p) => expectTypeOf(p).toEqualTypeOf<{ metrics: string[] }>());
      engine.on('metric:start', (p) => expectTypeOf(p).toEqualTypeOf<{ name: string; file: string }>());
      engine.on('metric:end', (p) => expectTypeOf(p).toEqualTypeOf<MetricRunResult>());
      engine.on('run:end', (p) => expectTypeOf(p).toEqualTypeOf<RunResult>());
      engine.on('test:end', (p) => expectTypeOf(p).toEqualTypeOf<TestResult>());
    engine.on('clean:start', (p) => expectTypeOf(p).toEqualTypeOf<{ all: boolean }>());
      engine.on('clean:end', (p) => expectTypeOf(p).toEqualTypeOf<CleanResult>());
      expectTypeOf(engine.on('run:end', () => {})).toEqualTypeOf<() => void>();
      // a handler for another event's payload does not fit
      // @ts-expect-error metric:start carries { name, file }, not a RunResult
      engine.on('metric:start', (p: RunResult) => p.ok);
    });
  });

  it('pins the result types', () => {
    expectTypeOf<SourceResult['status']>().toEqualTypeOf<'loaded' | 'unchanged' | 'failed' | 'missing' | 'pruned'>();
    expectTypeOf<MetricValidation['status']>().toEqualTypeOf<'valid' | 'invalid'>();
    expectTypeOf<MetricRunResult['status']>().toEqualTypeOf<'success' | 'failed' | 'skipped'>();
    expectTypeOf<MetricRunResult['name']>().toEqualTypeOf<string | null>();
    expectTypeOf<MetricRunResult>().toExtend<{ file: string; reason?: string; rows?: number; durationMs?: number; error?: Diagnostic; errors: Diagnostic[]; warnings: Diagnostic[] }>();
    expectTypeOf<RunResult>().toExtend<{ ok: boolean; metrics: MetricRunResult[]; durationMs: number }>();
    expectTypeOf<ValidateResult>().toExtend<{ ok: boolean; metrics: MetricValidation[] }>();
    expectTypeOf<LoadResult>().toExtend<{ ok: boolean; sources: SourceResult[]; errors: Diagnostic[] }>();
    expectTypeOf<CleanResult>().toExtend<{ ok: boolean; dropped: string[]; errors: Diagnostic[] }>();
  });

  it('results, diagnostics and event payloads are plain serialisable data (no bigint, Date, Map, function)', () => {
    expectTypeOf<IsPlain<Diagnostic>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<LoadResult>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<ValidateResult>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<RunResult>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<CleanResult>>().toEqualTypeOf<true>();
    // check samples are query rows (`Record<string, unknown>`, see docs/api.md): everything else is plain
    expectTypeOf<IsPlain<Omit<TestResult, 'checks'> & { checks: Array<Omit<CheckResult, 'sample'>> }>>().toEqualTypeOf<true>();
    expectTypeOf<CheckResult['sample']>().toEqualTypeOf<Array<Record<string, unknown>> | undefined>();
    expectTypeOf<IsPlain<UnitTestResult>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<Catalog>>().toEqualTypeOf<true>();
    expectTypeOf<IsPlain<HistoryEntry>>().toEqualTypeOf<true>();
    type KnownEvent = 'load:start' | 'source:loaded' | 'load:end' | 'validate:start' | 'validate:end' | 'run:start' | 'metric:start' | 'metric:end' | 'run:end' | 'clean:start' | 'clean:end';
    expectTypeOf<IsPlain<EngineEvents[KnownEvent]>>().toEqualTypeOf<true>();
    // the check itself catches what JSON would mangle
    expectTypeOf<IsPlain<{ rows: bigint }>>().toEqualTypeOf<false>();
    expectTypeOf<IsPlain<{ at: Date }>>().toEqualTypeOf<false>();
    expectTypeOf<IsPlain<{ nested: { list: Array<{ v: unknown }> } }>>().toEqualTypeOf<false>();
  });
});
