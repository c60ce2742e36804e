CREATE TABLE items (id integer PRIMARY KEY, name text CHECK (name <> $$'); CREATE TABLE pwned(x int); --$$));
