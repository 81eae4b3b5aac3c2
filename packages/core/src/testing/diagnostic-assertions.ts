// Assertions on diagnostics for tests, framework-agnostic.
import { AssertionError } from 'node:assert';
import type { Diagnostic, PluginDiagnostic, Severity } from '../diagnostics.ts';

/**
 * A diagnostic as a hook returns it or as the engine reports it.
 *
 * @example
 * ```ts
 * const found: AnyDiagnostic[] = [...((await invokeHook(plugin, 'validate', metric, ctx)) ?? []), ...diagnosticsOf(await engine.validate())];
 * ```
 */
export type AnyDiagnostic = Diagnostic | PluginDiagnostic;

/**
 * Anything that holds diagnostics: a list, `ValidateResult`/`RunResult` (`metrics[].errors/warnings`),
 * `LoadResult` (`sources[].error` and `errors`), `CleanResult` (`errors`), or a single result with `error`.
 *
 * @example
 * ```ts
 * const source: DiagnosticSource = await engine.load();
 * ```
 */
export type DiagnosticSource =
  | readonly AnyDiagnostic[]
  | {
      metrics?: ReadonlyArray<{ errors?: readonly AnyDiagnostic[]; warnings?: readonly AnyDiagnostic[] }>;
      sources?: ReadonlyArray<{ error?: AnyDiagnostic }>;
      errors?: readonly AnyDiagnostic[];
      warnings?: readonly AnyDiagnostic[];
      error?: AnyDiagnostic;
    };

/**
 * What to look for in a diagnostic: every given field must be equal; `message` may be a substring or a RegExp.
 * A missing `severity` on a plugin diagnostic counts as `error`, like in the engine.
 *
 * @example
 * ```ts
 * const match: DiagnosticMatch = { code: 'STYLE_SELECT_STAR', severity: 'warning', message: 'SELECT *' };
 * ```
 */
export type DiagnosticMatch = Partial<Omit<PluginDiagnostic, 'message' | 'severity'>> & {
  severity?: Severity;
  message?: string | RegExp;
};

/**
 * The diagnostics of a result, flattened, for assertions.
 *
 * @example
 * ```ts
 * expect(diagnosticsOf(await engine.validate())).toContainEqual(expect.objectContaining({ code: 'SQL_BINDER', line: 7 }));
 * ```
 */
export function diagnosticsOf<D extends AnyDiagnostic = Diagnostic>(source: DiagnosticSource): D[] {
  if (Array.isArray(source)) return [...(source as D[])];
  const s = source as Exclude<DiagnosticSource, readonly AnyDiagnostic[]>;
  const out: AnyDiagnostic[] = [];
  for (const m of s.metrics ?? []) out.push(...(m.errors ?? []), ...(m.warnings ?? []));
  for (const src of s.sources ?? []) if (src.error) out.push(src.error);
  if (s.metrics === undefined) {
    if (s.error) out.push(s.error);
    out.push(...(s.errors ?? []).filter((d) => d !== s.error), ...(s.warnings ?? []));
  } else {
    out.push(...(s.errors ?? []));
  }
  return out as D[];
}

/**
 * Whether one diagnostic matches.
 *
 * @example
 * ```ts
 * matchesDiagnostic({ code: 'X', message: 'owner is wrong' }, { code: 'X', message: /owner/ }); // true
 * ```
 */
export function matchesDiagnostic(diagnostic: AnyDiagnostic, match: DiagnosticMatch): boolean {
  for (const [key, expected] of Object.entries(match)) {
    if (expected === undefined) continue;
    const actual = key === 'severity' ? (diagnostic.severity ?? 'error') : (diagnostic as unknown as Record<string, unknown>)[key];
    if (key === 'message' && typeof actual === 'string') {
      if (expected instanceof RegExp ? !expected.test(actual) : !actual.includes(String(expected))) return false;
    } else if (actual !== expected) {
      return false;
    }
  }
  return true;
}

/**
 * Asserts that `source` holds a diagnostic matching `match`, and returns it. Throws Node's `AssertionError`
 * (which every test runner reports) listing the diagnostics that were there. No test framework needed.
 *
 * @example
 * ```ts
 * const d = expectDiagnostic(await engine.validate(), { code: 'STYLE_OWNER', file: 'metrics/a.yaml', line: 3 });
 * ```
 */
export function expectDiagnostic<D extends AnyDiagnostic = Diagnostic>(source: DiagnosticSource, match: DiagnosticMatch): D {
  const all = diagnosticsOf<D>(source);
  const found = all.find((d) => matchesDiagnostic(d, match));
  if (found) return found;
  throw new AssertionError({
    message: `expected a diagnostic matching ${describeMatch(match)}; ${describeAll(all)}`,
    actual: all,
    expected: match,
    operator: 'expectDiagnostic',
  });
}

/**
 * Asserts that `source` holds no diagnostic (or none of the given severity).
 *
 * @example
 * ```ts
 * expectNoDiagnostics(await engine.validate(), { severity: 'error' }); // warnings are fine
 * ```
 */
export function expectNoDiagnostics(source: DiagnosticSource, match: DiagnosticMatch = {}): void {
  const found = diagnosticsOf(source).filter((d) => matchesDiagnostic(d, match));
  if (found.length === 0) return;
  throw new AssertionError({
    message: `expected no diagnostics${Object.keys(match).length ? ` matching ${describeMatch(match)}` : ''}; ${describeAll(found)}`,
    actual: found,
    expected: [],
    operator: 'expectNoDiagnostics',
  });
}

/**
 * One line per diagnostic, like the CLI: `metrics/a.yaml:6:8 warning STYLE_SELECT_STAR message [plugin]`.
 *
 * @example
 * ```ts
 * console.log(formatDiagnostics(diagnosticsOf(await engine.validate())));
 * // metrics/a.yaml:6:10 warning STYLE_SELECT_STAR SELECT * makes … [sql-style]
 * ```
 */
export function formatDiagnostics(diagnostics: readonly AnyDiagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where = d.file ? [d.file, d.line, d.line === undefined ? undefined : d.column].filter((p) => p !== undefined).join(':') : '';
      const sql = 'sqlLine' in d || 'sqlOffset' in d ? ` (sql ${d.sqlLine !== undefined ? `${d.sqlLine}:${d.sqlColumn ?? 1}` : `@${d.sqlOffset}`})` : '';
      return `${where ? `${where} ` : ''}${d.severity ?? 'error'} ${d.code} ${d.message}${sql}${d.plugin ? ` [${d.plugin}]` : ''}`;
    })
    .join('\n');
}

function describeMatch(match: DiagnosticMatch): string {
  const parts = Object.entries(match).map(([k, v]) => `${k}: ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`);
  return `{ ${parts.join(', ')} }`;
}

function describeAll(all: readonly AnyDiagnostic[]): string {
  if (all.length === 0) return 'there were none';
  return `there were ${all.length}:\n${formatDiagnostics(all).replace(/^/gm, '  ')}`;
}
