CREATE TABLE items (id integer PRIMARY KEY, name text);
CREATE INDEX items_name_idx ON items USING rtree (name);
