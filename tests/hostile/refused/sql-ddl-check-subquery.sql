CREATE TABLE items (id integer PRIMARY KEY, price integer CHECK (price > (SELECT count(*) FROM pg_class)));
