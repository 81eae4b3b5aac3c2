// The read-only HTTP JSON API of `duckmetrics serve`: routes, the Host check, and one read-only engine per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineOptions, QueryCompare, TimeGrain } from '@duckmetrics/core';
import { errorFields } from '../error-report.ts';
import { openApiDocument } from './openapi.ts';

/** What the API needs to open the project: engine options (cwd, config file) and how long to wait for a run's lock. */
export interface MetricApiOptions {
  engine: Pick<EngineOptions, 'cwd' | 'configFile'>;
  /** While a `run` holds the database, keep retrying to open it read-only for this long, then answer 503. */
  waitForLockMs: number;
  /** `host:port` values the `Host` header may have (anything else is refused: DNS rebinding). */
  allowedHosts: ReadonlySet<string>;
}

const STATUS_OF: Record<string, number> = { METRIC_NOT_FOUND: 404, QUERY_INVALID: 400, SANDBOX: 400, USAGE: 400, DATABASE_LOCKED: 503 };
const QUERY_PARAMS = ['measures', 'by', 'grain', 'from', 'to', 'where', 'compare', 'limit'];

/**
 * The request handler. Each request that reads the database opens it read-only (DuckDB's `access_mode = READ_ONLY`)
 * and closes it before answering, so the server holds no lock between requests and a `run` can always take it.
 */
export function metricApi(options: MetricApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const withEngine = async <T>(work: (engine: Engine) => Promise<T>): Promise<T> => {
    const { createEngine } = await import('@duckmetrics/core');
    const engine = createEngine({ ...options.engine, readOnly: true, waitForLockMs: options.waitForLockMs });
    try {
      return await work(engine);
    } finally {
      await engine.close();
    }
  };
  return (req, res) => {
    void handle(req, options, withEngine).then(({ status, body, headers }) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    });
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

async function handle(req: IncomingMessage, options: MetricApiOptions, withEngine: <T>(work: (engine: Engine) => Promise<T>) => Promise<T>): Promise<Answer> {
  const fail = (status: number, code: string, message: string, hint?: string): Answer => ({ status, body: { ok: false, error: { code, message, ...(hint ? { hint } : {}) } } });
  const host = (req.headers.host ?? '').toLowerCase();
  if (!options.allowedHosts.has(host)) return fail(403, 'HOST_REFUSED', `refused: Host "${host}" is not this server`, `use one of ${[...options.allowedHosts].join(', ')}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...fail(405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed: the API only reads`), headers: { allow: 'GET, HEAD' } };
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  try {
    if (url.pathname === '/openapi.json') return { status: 200, body: openApiDocument() };
    if (parts[0] !== 'api' || parts[1] !== 'metrics' || parts.length > 4 || (parts.length === 4 && parts[3] !== 'query')) return fail(404, 'NOT_FOUND', `no route ${url.pathname}`, 'see /openapi.json');
    if (parts.length === 2) return { status: 200, body: { ok: true, metrics: await withEngine((e) => e.describeMetrics()) } };
    const name = parts[2]!;
    if (parts.length === 3) {
      const metrics = await withEngine((e) => e.describeMetrics());
      const metric = metrics.find((m) => m.name.toLowerCase() === name.toLowerCase());
      return metric ? { status: 200, body: { ok: true, metric } } : fail(404, 'METRIC_NOT_FOUND', `no metric is named "${name}"`, 'GET /api/metrics lists them');
    }
    const unknown = [...url.searchParams.keys()].filter((k) => !QUERY_PARAMS.includes(k));
    if (unknown.length > 0) return fail(400, 'QUERY_INVALID', `unknown parameter ${unknown.map((u) => `"${u}"`).join(', ')}`, `the parameters are ${QUERY_PARAMS.join(', ')}`);
    const get = (key: string): string | undefined => url.searchParams.get(key) ?? undefined;
    const list = (key: string): string[] | undefined => get(key)?.split(',').map((v) => v.trim()).filter((v) => v !== '');
    const limit = get('limit');
    if (limit !== undefined && !/^\d+$/.test(limit)) return fail(400, 'QUERY_INVALID', `limit must be a whole number, not "${limit}"`, 'limit=100');
    const result = await withEngine((e) => e.queryMetric({
      metric: name,
      ...(list('measures') ? { measures: list('measures')! } : {}),
      ...(list('by') ? { by: list('by')! } : {}),
      ...(get('grain') ? { grain: get('grain') as TimeGrain } : {}),
      ...(get('from') ? { from: get('from')! } : {}),
      ...(get('to') ? { to: get('to')! } : {}),
      ...(get('where') !== undefined ? { where: get('where')! } : {}),
      ...(get('compare') ? { compare: get('compare') as QueryCompare } : {}),
      ...(limit !== undefined ? { limit: Number(limit) } : {}),
    }));
    return { status: 200, body: result };
  } catch (error) {
    const fields = errorFields(error);
    const status = STATUS_OF[fields.code] ?? 500;
    return { status, body: { ok: false, error: fields }, ...(status === 503 ? { headers: { 'retry-after': '2' } } : {}) };
  }
}
