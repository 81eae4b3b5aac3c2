import { describe, expect, it } from 'vitest';
import { connectionDiagnostic, describeUrl, redact } from './pg-errors.ts';

describe('redaction', () => {
  const url = 'postgres://ana:p%40ss%3Aw0rd@db.internal:5432/shop?sslmode=require';
  it('removes the password in every spelling, and the password part of any URL', () => {
    expect(redact('failed for p@ss:w0rd and p%40ss%3Aw0rd', url)).toBe('failed for *** and ***');
    expect(redact('see postgres://bo:other@host/db', url)).toBe('see postgres://bo:***@host/db');
  });
  it('describes the url without password or parameters', () => {
    expect(describeUrl(url)).toBe('postgres://ana@db.internal:5432/shop');
    expect(describeUrl('not a url with secret')).toBe('not a url with secret');
  });
  it('a driver message holding the url is redacted in the diagnostic', () => {
    const d = connectionDiagnostic({ code: 'ECONNRESET', message: `lost ${url}` }, url);
    expect(`${d.message} ${d.hint}`).not.toContain('p@ss');
    expect(`${d.message} ${d.hint}`).not.toContain('p%40ss');
    expect(d.code).toBe('PG_CONNECTION_FAILED');
  });
});
