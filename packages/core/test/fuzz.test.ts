import { rm, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createEngine, loadMetricFile, METRIC_KEYS, parseMetricSource } from '@duckmetrics/core';
import type { Diagnostic, Engine, MetricFile } from '@duckmetrics/core';
import { projectDir } from '@duckmetrics/core/testing';
import type { TempProject } from '@duckmetrics/core/testing';

// Property tests: whatever a metric file holds, loading and validating it answers with diagnostics that name the
// file, never with an exception. Seeds are random per run; a failure prints the seed and the shrunk input.

const SQL_SNIPPETS = [
  'SELECT 1 AS x',
  'SELECT count(*) AS n FROM orders',
  'SELECT * FROM nowhere',
  'SELECT amout FROM orders',
  'DROP TABLE orders',
  'SELECT 1; DROP TABLE orders',
  "COPY orders TO 'x.csv'",
  "SELECT * FROM read_csv('/etc/passwd')",
  "SELECT * FROM read_text('/etc/hostname')",
  'WITH a AS (SELECT 1 AS x) SELECT * FROM a',
  'SELEC 1',
  '-- only a comment',
  '',
  "SELECT '\u0000' AS nul",
  'SELECT "unclosed FROM orders',
];

/** Characters that matter to YAML (and a few that matter to decoders), for mutations. */
const NASTY = [':', '-', ' ', '  ', '\n', '\r\n', '\t', '"', "'", '[', ']', '{', '}', '&a', '*a', '!!binary', '|', '>', '#', '%', '@', '`', '?', ',', '\uFEFF', '\u0000', 'é', '😀', '\u2028', '---', '...'];

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace', 'duplicate-line', 'truncate'),
  text: fc.constantFrom(...NASTY),
});

function mutate(text: string, mutations: ReadonlyArray<{ at: number; kind: string; text: string }>): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + 1 + (m.at % 5));
    else if (m.kind === 'replace') out = out.slice(0, at) + m.text + out.slice(at + m.text.length);
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else {
      const lines = out.split('\n');
      const i = m.at % Math.max(1, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      out = lines.join('\n');
    }
  }
  return out;
}

/** Something metric-shaped: known keys (and a few strangers) with arbitrary or plausible values. */
const metricLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...METRIC_KEYS), fc.constantFrom('descripton', 'metricname', 'sql ', 'Owner', '__proto__', 'constructor', '123'), fc.string({ maxLength: 8 })),
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(...SQL_SNIPPETS),
    fc.constantFrom('fuzz_metric', 'my-metric', '1st', 'x; DROP TABLE orders; --', 'orders', '0 6 * * *', '@daily', 'every day'),
    fc.array(fc.constantFrom('a', 'b', 1, null, { x: 1 }), { maxLength: 3 }),
  ),
  { maxKeys: 12 },
);

const yamlText = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(metricLike, fc.array(mutation, { maxLength: 4 })).map(([doc, ms]) => mutate(stringify(doc), ms)) },
  { weight: 2, arbitrary: fc.tuple(fc.jsonValue({ maxDepth: 4 }), fc.array(mutation, { maxLength: 4 })).map(([v, ms]) => mutate(stringify(v), ms)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY, 'metric_name', 'sql', 'x'), { maxLength: 40 }).map((parts) => parts.join('')) },
);

/** What every loaded file must satisfy. */
function expectWellFormed(result: MetricFile, file: string): void {
  expect(result.file).toBe(file);
  expect(result.name === null || typeof result.name === 'string').toBe(true);
  if (result.metric === undefined) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of result.diagnostics) expectDiagnostic(d, file);
}

function expectDiagnostic(d: Diagnostic, file: string): void {
  expect(d.file).toBe(file);
  expect(['error', 'warning']).toContain(d.severity);
  expect(d.code).toMatch(/^[A-Z][A-Z_]+$/);
  expect(d.code).not.toBe('INTERNAL_ERROR');
  expect(d.message.length).toBeGreaterThan(0);
  if (d.line !== undefined) expect(d.line).toBeGreaterThanOrEqual(1);
  if (d.column !== undefined) expect(d.column).toBeGreaterThanOrEqual(1);
}

describe('parseMetricSource on random documents', () => {
  it('never throws; every problem is a diagnostic naming the file', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        expectWellFormed(parseMetricSource(text, 'metrics/fuzz.yaml'), 'metrics/fuzz.yaml');
      }),
      { numRuns: 400 },
    );
  });
});

describe('loadMetricFile on random bytes', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await projectDir({});
  });
  afterAll(() => project.cleanup());

  it('never throws; binary and non-UTF-8 files are FILE_NOT_TEXT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const file = project.path('fuzz.yaml');
        await writeFile(file, bytes);
        const result = await loadMetricFile(file, project.dir);
        expectWellFormed(result, 'fuzz.yaml');
        if (bytes.includes(0)) expect(result.diagnostics[0]?.code).toBe('FILE_NOT_TEXT');
      }),
      { numRuns: 200 },
    );
  });
});

describe('load → validate → run on a real engine with random files', () => {
  let project: TempProject;
  let engine: Engine;
  beforeAll(async () => {
    project = await projectDir({ 'data/orders.csv': 'order_id,amount\n1,5\n2,7\n' });
    engine = createEngine({ cwd: project.dir });
    expect((await engine.load()).ok).toBe(true);
  });
  afterAll(async () => {
    await engine.close();
    await project.cleanup();
  });

  const good = 'metric_name: fuzz_good_metric\ndescription: d\nowner: o\nschedule: "@daily"\nsql: SELECT count(*) AS n FROM orders\n';
  const fileContent = fc.oneof({ weight: 4, arbitrary: yamlText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) });

  it('reports every file with its name and file, keeps the good metric valid and the source intact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fileContent, { minLength: 1, maxLength: 4 }), async (contents) => {
        await rm(project.path('metrics'), { recursive: true, force: true });
        const files: Record<string, string | Uint8Array> = { 'metrics/zz_good.yaml': good };
        contents.forEach((c, i) => (files[`metrics/fuzz_${i}.yaml`] = c));
        await project.write(files);
        const validated = await engine.validate();
        expect(validated.metrics.map((m) => m.file).sort()).toEqual(Object.keys(files).sort());
        const run = await engine.run();
        expect(run.metrics.map((m) => m.file).sort()).toEqual(Object.keys(files).sort());
        for (const m of [...validated.metrics, ...run.metrics]) {
          if (m.errors.length === 0) continue;
          for (const d of m.errors) expectDiagnostic(d, m.file);
          expect(m.errors.map((d) => d.code)).not.toContain('PLUGIN_ERROR');
        }
        const goodResult = run.metrics.find((m) => m.file === 'metrics/zz_good.yaml');
        // A random file may take the same name (then both are duplicates); otherwise the good metric builds.
        if (!goodResult?.errors.some((d) => d.code === 'METRIC_DUPLICATE')) expect(goodResult?.status).not.toBe('failed');
        expect(await engine.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 2 }]);
      }),
      { numRuns: 40 },
    );
  });
});
