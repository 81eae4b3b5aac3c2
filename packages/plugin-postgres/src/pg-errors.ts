// PostgreSQL and driver errors as diagnostics that name the source and say the fix, with the password redacted.
import type { PluginDiagnostic } from '@duckmetrics/core';

/** The codes this plugin reports. */
export type PgErrorCode =
  | 'PG_CONNECTION_FAILED'
  | 'PG_AUTH_FAILED'
  | 'PG_TABLE_UNKNOWN'
  | 'PG_PERMISSION_DENIED'
  | 'PG_QUERY_INVALID'
  | 'PG_OPTIONS_INVALID'
  | 'PG_LOAD_FAILED';

/**
 * Removes the password of `url` from `text`, in every spelling it could take (raw, URL-encoded, inside another
 * URL), so no message, hint or log line ever shows it.
 *
 * @example
 * ```ts
 * redact('postgres://ana:s3cret@db/x failed', 'postgres://ana:s3cret@db/x'); // 'postgres://ana:***@db/x failed'
 * ```
 */
export function redact(text: string, url: string | undefined): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  const password = passwordOf(url);
  if (password !== undefined && password.length > 0) {
    for (const spelling of new Set([password, encodeURIComponent(password)])) out = out.split(spelling).join('***');
  }
  return out;
}

function passwordOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(url)?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Where the url points, for messages: `postgres://ana@db.internal:5432/shop`, never the password.
 *
 * @example
 * ```ts
 * describeUrl('postgres://ana:s3cret@db:5432/shop'); // 'postgres://ana@db:5432/shop'
 * ```
 */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\?.*$/, '');
  } catch {
    return redact(url, url);
  }
}

interface DriverError {
  code?: string;
  message?: string;
}

/** A connection or login failure, for every source of the plugin. */
export function connectionDiagnostic(error: unknown, url: string): PluginDiagnostic {
  const e = error as DriverError;
  const where = describeUrl(url);
  const text = redact(e.message ?? String(error), url);
  if (e.code === '28P01' || e.code === '28000') {
    return { code: 'PG_AUTH_FAILED', message: `postgres: ${text} (${where})`, hint: 'check the user and password in the url (e.g. the DATABASE_URL environment variable) and the server\'s pg_hba.conf; nothing was loaded, previous tables were kept' };
  }
  if (e.code === '3D000') {
    return { code: 'PG_CONNECTION_FAILED', message: `postgres: ${text} (${where})`, hint: 'fix the database name at the end of the url; nothing was loaded, previous tables were kept' };
  }
  const reason = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'host not found' : /timeout/i.test(text) ? 'no answer within 30 s' : text;
  return { code: 'PG_CONNECTION_FAILED', message: `postgres: cannot connect to ${where}: ${reason}`, hint: 'start the PostgreSQL server, or fix the host and port in the url (e.g. the DATABASE_URL environment variable); nothing was loaded, previous tables were kept' };
}

/** An error while reading one source: permission, a missing relation, an invalid query, or anything else. */
export function sourceDiagnostic(error: unknown, source: { name: string; what: string; relation?: string; select?: string }, url: string, user: string): PluginDiagnostic {
  const e = error as DriverError;
  const text = redact(e.message ?? String(error), url);
  if (e.code === '42501') {
    const grant = source.relation === undefined ? 'GRANT SELECT on the tables it reads' : `GRANT SELECT ON ${source.relation}`;
    return { code: 'PG_PERMISSION_DENIED', message: `postgres: ${source.what}: ${text}`, hint: `${grant} TO ${user} (and USAGE on its schema); the previous table ${source.name} was kept` };
  }
  if (e.code === '57P01' || e.code === '08006' || e.code === 'ECONNRESET') {
    return { code: 'PG_CONNECTION_FAILED', message: `postgres: ${source.what}: ${text}`, hint: 'the server closed the connection: check it is running, then run setup again; the previous table was kept' };
  }
  if (source.relation === undefined && /^(42|25006|0A000)/.test(e.code ?? '')) {
    const first = /^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(source.select ?? '')?.[1]?.toUpperCase();
    const why = first !== undefined && !['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(first) ? `it is ${/^[AEIOU]/.test(first) ? 'an' : 'a'} ${first} statement, not a SELECT` : text;
    return { code: 'PG_QUERY_INVALID', message: `postgres: ${source.what} is not one valid SELECT: ${why}`, hint: `write queries.${source.name} as a single read-only SELECT (no ; between statements, no INSERT/UPDATE/DELETE); the previous table was kept` };
  }
  return { code: 'PG_LOAD_FAILED', message: `postgres: ${source.what}: ${text.split('\n')[0]}`, hint: `fix the data or the config of ${source.name}, then run setup again; the previous table was kept` };
}
