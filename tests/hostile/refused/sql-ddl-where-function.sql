CREATE TABLE items (id integer PRIMARY KEY, name text);
CREATE INDEX items_name_idx ON items (name) WHERE pg_sleep(1) IS NULL;
