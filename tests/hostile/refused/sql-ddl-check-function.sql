CREATE TABLE items (id integer PRIMARY KEY, name text,
  CONSTRAINT leak CHECK (pg_read_file('/etc/passwd') IS NOT NULL));
