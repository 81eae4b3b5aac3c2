import { describe, expect, it } from 'vitest';
import { parseRelationName, qualifiedName, quotePgLiteral } from './pg-sql.ts';

describe('PostgreSQL names and literals', () => {
  it('parses schema.table as PostgreSQL does: unquoted folds to lower case, quoted keeps case and dots', () => {
    expect(parseRelationName('public.customers')).toEqual({ schema: 'public', table: 'customers' });
    expect(parseRelationName('Orders')).toEqual({ schema: 'public', table: 'orders' });
    expect(parseRelationName('"Sales"."Order ""Items"".v2"')).toEqual({ schema: 'Sales', table: 'Order "Items".v2' });
    for (const bad of ['', 'a.b.c', 'a.', '.a', 'a b']) expect(parseRelationName(bad), bad).toBeUndefined();
  });
  it('quotes identifiers and literals', () => {
    expect(qualifiedName({ schema: 'my"s', table: 't' })).toBe('"my""s"."t"');
    expect(quotePgLiteral("it's \\ here")).toBe("'it''s \\ here'");
    expect(() => quotePgLiteral('a\0b')).toThrow(/NUL/);
  });
});
