// The OpenAPI 3.1 document of `duckmetrics serve` (`GET /openapi.json`).

const error = { $ref: '#/components/responses/Error' };
const param = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }): Record<string, unknown> => ({ name, in: 'query', required: false, description, schema });

/** The API as OpenAPI 3.1: what `GET /openapi.json` serves. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'duckmetrics metric API', version: '1.0.0', description: 'Read-only JSON API over the metrics of one duckmetrics project (`duckmetrics serve`). It serves no arbitrary SQL.' },
    paths: {
      '/api/metrics': {
        get: {
          operationId: 'listMetrics', summary: 'Every metric with its measures, dimensions and time column',
          responses: { 200: { description: 'The metrics', content: { 'application/json': { schema: { type: 'object', required: ['ok', 'metrics'], properties: { ok: { const: true }, metrics: { type: 'array', items: { $ref: '#/components/schemas/Metric' } } } } } } }, 403: error },
        },
      },
      '/api/metrics/{name}': {
        get: {
          operationId: 'describeMetric', summary: 'One metric', parameters: [{ $ref: '#/components/parameters/name' }],
          responses: { 200: { description: 'The metric', content: { 'application/json': { schema: { type: 'object', required: ['ok', 'metric'], properties: { ok: { const: true }, metric: { $ref: '#/components/schemas/Metric' } } } } } }, 403: error, 404: error },
        },
      },
      '/api/metrics/{name}/query': {
        get: {
          operationId: 'queryMetric', summary: 'Measures of a metric by dimensions and a time grain (same JSON as `duckmetrics query <metric> --json`)',
          parameters: [
            { $ref: '#/components/parameters/name' },
            param('measures', 'Comma-separated measure names (default: all)'),
            param('by', 'Comma-separated dimensions to group by'),
            param('grain', 'One row per period of this grain', { type: 'string', enum: ['day', 'week', 'month', 'quarter', 'year'] }),
            param('from', 'Inclusive lower bound on the time column (date or timestamp)'),
            param('to', 'Exclusive upper bound on the time column'),
            param('where', 'One boolean expression over the dimensions and the time column'),
            param('compare', 'Adds <measure>_previous and <measure>_change', { type: 'string', enum: ['previous_period', 'previous_year'] }),
            param('limit', 'At most this many rows (default 1000)', { type: 'integer', minimum: 0 }),
          ],
          responses: { 200: { description: 'The rows', content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryResult' } } } }, 400: error, 403: error, 404: error, 503: error },
        },
      },
      '/openapi.json': { get: { operationId: 'openApi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    },
    components: {
      parameters: { name: { name: 'name', in: 'path', required: true, description: 'The metric name', schema: { type: 'string' } } },
      responses: { Error: { description: 'An error, with the same code, message and hint as the CLI', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      schemas: {
        Metric: {
          type: 'object', required: ['name', 'description', 'owner', 'tags', 'file', 'time', 'dimensions', 'measures'],
          properties: {
            name: { type: 'string' }, description: { type: 'string' }, owner: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, file: { type: 'string' },
            time: { type: ['string', 'null'] }, dimensions: { type: 'array', items: { type: 'string' } },
            measures: { type: 'array', items: { type: 'object', required: ['name', 'expr'], properties: { name: { type: 'string' }, expr: { type: 'string' }, description: { type: 'string' } } } },
          },
        },
        QueryResult: {
          type: 'object', required: ['ok', 'metric', 'sql', 'columns', 'rows'],
          properties: {
            ok: { const: true }, metric: { type: 'string' }, sql: { type: 'string', description: 'The generated SELECT' },
            columns: { type: 'array', items: { type: 'object', required: ['name', 'type'], properties: { name: { type: 'string' }, type: { type: 'string' } } } },
            rows: { type: 'array', items: { type: 'object' } }, truncated: { type: 'boolean' },
          },
        },
        Error: {
          type: 'object', required: ['ok', 'error'],
          properties: { ok: { const: false }, error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' }, file: { type: 'string' } } } },
        },
      },
    },
  };
}
