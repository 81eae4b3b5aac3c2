// The PostgreSQL fixtures the tests load: every mapped type with NULLs, empty strings and awkward text, a shop
// (customers, orders with updated_at), a table the test role may not read, and two roles with passwords.
import type { PgServer } from './pg-server.ts';

export const LOADER = { user: 'loader', password: 'l0ader-S3cret!pw' } as const;

/** Creates database `shop` on the server with the fixtures; returns the loader's URL. */
export function createShop(server: PgServer, db = 'shop'): string {
  server.psql(`CREATE DATABASE ${db}`);
  server.psql(`
    DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${LOADER.user}') THEN
      CREATE ROLE ${LOADER.user} LOGIN PASSWORD '${LOADER.password}'; END IF; END $$;
    SET TimeZone = 'America/Sao_Paulo';
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE TABLE everything (
      id int4 PRIMARY KEY, small int2, big int8, price numeric(12,2), wide numeric(50,10), free numeric, ratio float8,
      label text, code varchar(10), letter char(3), flag bool, day date, at timestamp, at_tz timestamptz, uid uuid,
      doc json, docb jsonb, tags text[], nums int4[], feeling mood, feelings mood[], blob bytea, dur interval
    );
    INSERT INTO everything VALUES
      (1, -32768, 9007199254740993, 12345.67, 1234567890123456789012345678901234567890.0123456789, 3.25, 0.1,
       E'comma, "quote"\\nnew line', 'abc', 'ab', true, '2024-02-29', '2024-03-10 12:34:56.789',
       '2024-03-10 12:34:56.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2], "b": null}', '{"z": "é"}',
       ARRAY['x,y', 'say "hi"', NULL, ''], ARRAY[1, NULL, 3], 'happy', ARRAY['sad', 'ok']::mood[], '\\x00ff10',
       '1 day 02:03:04.5'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL),
      (3, 0, 0, 0, 0, 'NaN', 'Infinity', '', '', '', false, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00',
       '00000000-0000-0000-0000-000000000000', '[]', '{}', '{}', '{}', 'sad', '{}', '', '-1 mons'),
      (4, 1, 1, 1, 1, 1, 1, '\\N', 'NULL', 'N', true, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '"s"', 'null', ARRAY['\\N'], ARRAY[]::int[], 'ok', NULL, '\\x', '0');

    CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, paid boolean NOT NULL);
    INSERT INTO customers VALUES (1, 'ana@example.com', true), (2, 'bo@example.com', false), (3, 'cy@example.com', true);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric(10,2) NOT NULL, updated_at timestamptz NOT NULL);
    INSERT INTO orders VALUES
      (1, 1, 10.00, '2024-01-01 10:00:00+00'), (2, 1, 5.50, '2024-01-02 10:00:00+00'), (3, 3, 7.25, '2024-01-03 10:00:00+00');
    CREATE TABLE secrets (id int, secret text);
    INSERT INTO secrets VALUES (1, 'top');
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${LOADER.user};
    REVOKE SELECT ON secrets FROM ${LOADER.user};
  `, db);
  return server.url(LOADER.user, LOADER.password, db);
}
