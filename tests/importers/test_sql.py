"""SQL DDL import: each construct the issue lists, on small schemas written here."""

from __future__ import annotations

import pytest

from backforge.errors import SpecError
from backforge.spec import load
from backforge.spec.model import FieldType, OnDelete
from tests.importers.conftest import write

POSTGRES = """
CREATE TYPE public.status AS ENUM ('draft', 'published');
CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE SEQUENCE public.authors_id_seq START WITH 1;
CREATE TABLE public.authors (
    id integer DEFAULT nextval('public.authors_id_seq'::regclass) NOT NULL,
    email character varying(120) NOT NULL UNIQUE,
    born public.year,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    bio text DEFAULT ''::text,
    CONSTRAINT authors_pkey PRIMARY KEY (id)
);
CREATE TABLE public.posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id integer NOT NULL REFERENCES public.authors(id) ON DELETE CASCADE,
    editor_id integer,
    slug varchar(80) NOT NULL,
    lang char(2) NOT NULL DEFAULT 'en',
    state public.status DEFAULT 'draft'::public.status NOT NULL,
    kind text CHECK (kind IN ('note', 'article')),
    words integer CHECK (words >= 0 AND words % 2 = 0),
    body tsvector,
    tags text[],
    published_at timestamp with time zone DEFAULT now(),
    UNIQUE (author_id, slug),
    CHECK (editor_id <> author_id)
);
CREATE TABLE public.post_links (
    post_id bigint NOT NULL,
    target_id bigint NOT NULL,
    position integer NOT NULL
);
ALTER TABLE ONLY public.post_links ADD CONSTRAINT post_links_pkey PRIMARY KEY (post_id, target_id);
ALTER TABLE ONLY public.post_links
    ADD CONSTRAINT post_links_post_fkey FOREIGN KEY (post_id) REFERENCES public.posts(id)
    ON UPDATE CASCADE ON DELETE RESTRICT;
ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_editor_fkey FOREIGN KEY (editor_id) REFERENCES public.authors;
CREATE INDEX posts_published_idx ON public.posts USING btree (published_at) WHERE (state = 'published');
CREATE INDEX posts_body_idx ON public.posts USING gin (body);
CREATE INDEX posts_lower_slug ON public.posts (lower(slug));
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE VIEW public.recent AS SELECT * FROM public.posts;
GRANT SELECT ON public.posts TO reader;
"""


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("sql"), "blog.sql", POSTGRES)
    return load(path)


def _field(loaded, table, name):
    return loaded.project.table(table).field(name)


def test_columns_types_nullability_and_defaults(blog):
    email = _field(blog, "authors", "email")
    assert (email.type, email.max_length, email.required, email.unique) == (
        FieldType.STRING, 120, True, True)
    rating = _field(blog, "authors", "rating")
    assert (rating.type, rating.db_type, rating.min, rating.max) == (
        FieldType.INTEGER, "smallint", 1, 5)  # the CHECK range became min/max
    assert _field(blog, "authors", "bio").default == ""
    lang = _field(blog, "posts", "lang")
    assert (lang.type, lang.max_length, lang.db_type, lang.default) == (
        FieldType.STRING, 2, "char(2)", "en")
    assert _field(blog, "posts", "published_at").default == "now"


def test_keys_serial_identity_and_composite(blog):
    authors_id = _field(blog, "authors", "id")
    assert authors_id.primary_key and authors_id.auto_increment  # nextval default
    posts_id = _field(blog, "posts", "id")
    assert (posts_id.type, posts_id.primary_key, posts_id.auto_increment) == (
        FieldType.BIGINT, True, True)
    links = blog.project.table("post_links")
    assert [f.name for f in links.primary_key] == ["post_id", "target_id"]


def test_enum_type_domain_and_check_enumeration(blog):
    state = _field(blog, "posts", "state")
    assert (state.type, state.values, state.default) == (
        FieldType.ENUM, ("draft", "published"), "draft")
    born = _field(blog, "authors", "born")
    assert (born.type, born.min, born.max) == (FieldType.INTEGER, 1901, 2155)
    kind = _field(blog, "posts", "kind")
    assert (kind.type, kind.values) == (FieldType.ENUM, ("note", "article"))


def test_other_checks_stay_database_checks_and_are_reported(blog):
    posts = blog.project.table("posts")
    assert '"editor_id" <> "author_id"' in posts.checks
    assert any('"words" % 2 = 0' in c for c in posts.checks)
    assert _field(blog, "posts", "words").min == 0  # the range part still became min
    note = next(n for n in blog.notes if n.startswith("CHECK constraints kept"))
    assert "posts:" in note and "editor_id" in note


def test_references_inline_table_and_alter(blog):
    author = _field(blog, "posts", "author_id")
    assert (author.references, author.on_delete) == ("authors.id", OnDelete.CASCADE)
    editor = _field(blog, "posts", "editor_id")  # REFERENCES authors: the primary key
    assert editor.references == "authors.id" and editor.on_delete is None
    post = _field(blog, "post_links", "post_id")
    assert (post.references, post.on_delete) == ("posts.id", OnDelete.RESTRICT)
    assert any("ON UPDATE actions are not kept" in n and "post_links(post_id)" in n
               for n in blog.notes)


def test_unique_groups_indexes_and_opaque_types(blog):
    posts = blog.project.table("posts")
    assert posts.unique == (("author_id", "slug"),)
    by_name = {i.name: i for i in posts.indexes}
    assert by_name["posts_published_idx"].where == "\"state\" = 'published'"
    assert by_name["posts_body_idx"].using == "gin"
    assert "posts_lower_slug" not in by_name
    assert any(n.startswith("indexes on expressions") and "posts_lower_slug" in n
               for n in blog.notes)
    body, tags = _field(blog, "posts", "body"), _field(blog, "posts", "tags")
    assert (body.type, body.db_type) == (FieldType.TEXT, "tsvector")
    assert (tags.type, tags.db_type) == (FieldType.TEXT, "text[]")
    assert any(n.startswith("no spec type") and "posts.body (tsvector)" in n for n in blog.notes)


def test_unmodelled_statements_are_one_summary_line(blog):
    summary = [n for n in blog.notes if "statements the spec does not model" in n]
    assert summary == [("blog.sql: skipped 3 statements the spec does not model: "
                        "CREATE FUNCTION x1, CREATE VIEW x1, GRANT x1")]


def test_an_unparsable_column_is_reported_with_table_and_line(tmp_path):
    sql = ("CREATE TABLE a (id int PRIMARY KEY);\n\n"
           "CREATE TABLE film (\n  id int PRIMARY KEY,\n  title text NOT NULL,\n"
           "  hours numeric(4,2) GENERATED ALWAYS AS (round(id / 60.0, 2)) VIRTUAL\n);\n"
           "CREATE TABLE c (id int PRIMARY KEY, film_id int REFERENCES film);\n")
    loaded = load(write(tmp_path, "s.sql", sql))
    assert [f.name for f in loaded.project.table("film").fields] == ["id", "title"]
    assert loaded.project.table("c").field("film_id").references == "film.id"
    note = next(n for n in loaded.notes if "cannot parse" in n)
    assert note.startswith("s.sql:6 (table film): cannot parse column hours (")


def test_an_unparsable_statement_is_skipped_and_the_rest_imports(tmp_path):
    sql = "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int NOT NULL NOT);\n"
    loaded = load(write(tmp_path, "s.sql", sql))
    assert [t.name for t in loaded.project.tables] == ["a"]
    assert any(n.startswith("s.sql:2 (table b): cannot parse (") and n.endswith("; skipped")
               for n in loaded.notes)


def test_partitions_fold_into_the_parent(tmp_path):
    sql = """CREATE TABLE p (id int NOT NULL, at date NOT NULL, owner int,
                 PRIMARY KEY (at, id)) PARTITION BY RANGE (at);
             CREATE TABLE o (id int PRIMARY KEY);
             CREATE TABLE p_2024 (id int NOT NULL, at date NOT NULL, owner int);
             ALTER TABLE ONLY p ATTACH PARTITION p_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
             ALTER TABLE ONLY p_2024 ADD CONSTRAINT p_2024_owner_fkey FOREIGN KEY (owner) REFERENCES o(id);
             CREATE INDEX p_2024_owner_idx ON p_2024 (owner);"""
    loaded = load(write(tmp_path, "s.sql", sql))
    assert [t.name for t in loaded.project.tables] == ["p", "o"]
    p = loaded.project.table("p")
    assert p.field("owner").references == "o.id"
    assert [i.fields for i in p.indexes] == [("owner",)]
    assert any(n.startswith("p: its partition (p_2024) folded into it") for n in loaded.notes)


def test_alter_set_default_nextval_makes_auto_increment(tmp_path):
    sql = """CREATE SEQUENCE t_id_seq;
             CREATE TABLE t (id bigint NOT NULL, name varchar);
             ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);
             ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
             ALTER SEQUENCE t_id_seq OWNED BY t.id;"""
    loaded = load(write(tmp_path, "s.sql", sql))
    t = loaded.project.table("t")
    assert t.field("id").auto_increment and t.field("id").primary_key
    assert (t.field("name").type, t.field("name").db_type) == (FieldType.TEXT, "varchar")
    assert not any("statements the spec does not model" in n for n in loaded.notes)


MYSQL = """
CREATE TABLE `film` (
  film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  release_year YEAR DEFAULT NULL,
  rating ENUM('G','PG','R') DEFAULT 'G',
  features SET('Trailers','Commentaries') DEFAULT NULL,
  picture BLOB,
  active TINYINT(1) NOT NULL DEFAULT 1,
  updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (film_id),
  KEY idx_year (release_year),
  UNIQUE KEY (rating, release_year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"""


def test_mysql_types_keep_their_range_or_database_type(tmp_path):
    loaded = load(write(tmp_path, "shop.mysql.sql", MYSQL))
    film = loaded.project.table("film")
    fid = film.field("film_id")
    assert (fid.type, fid.min, fid.max, fid.auto_increment) == (FieldType.INTEGER, 0, 65535,
                                                                True)
    year = film.field("release_year")
    assert (year.type, year.min, year.max) == (FieldType.INTEGER, 1901, 2155)
    assert film.field("rating").values == ("G", "PG", "R")
    assert film.field("features").db_type == "text[]"
    assert film.field("picture").db_type == "bytea"
    assert film.field("active").default == 1
    assert film.unique == (("rating", "release_year"),)
    assert [i.name for i in film.indexes] == ["idx_year"]
    text = "\n".join(loaded.notes)
    for expected in ("UNSIGNED", "MySQL YEAR", "MySQL SET", "ON UPDATE CURRENT_TIMESTAMP"):
        assert expected in text


def test_sqlite_brackets_and_pascal_case(tmp_path):
    sql = """CREATE TABLE [Artist] ([ArtistId] INTEGER NOT NULL, [Name] NVARCHAR(120),
                 CONSTRAINT [PK_Artist] PRIMARY KEY ([ArtistId]));
             CREATE TABLE [Album] ([AlbumId] INTEGER NOT NULL, [ArtistId] INTEGER NOT NULL,
                 CONSTRAINT [PK_Album] PRIMARY KEY ([AlbumId]),
                 FOREIGN KEY ([ArtistId]) REFERENCES [Artist] ([ArtistId]) ON DELETE NO ACTION);"""
    loaded = load(write(tmp_path, "music.sqlite.sql", sql))
    album = loaded.project.table("Album")
    assert album.field("ArtistId").references == "Artist.ArtistId"
    assert album.field("ArtistId").on_delete is None  # NO ACTION: the default
    assert loaded.project.table("Artist").field("Name").max_length == 120


def test_required_foreign_key_cycles_are_broken_and_reported(tmp_path):
    sql = """CREATE TABLE store (id int PRIMARY KEY, manager int NOT NULL);
             CREATE TABLE staff (id int PRIMARY KEY, store_id int NOT NULL REFERENCES store);
             ALTER TABLE store ADD FOREIGN KEY (manager) REFERENCES staff (id);"""
    loaded = load(write(tmp_path, "s.sql", sql))
    required = [(t.name, f.name) for t in loaded.project.tables for f in t.fields
                if f.references and f.required]
    assert required == []  # every key on the cycle became optional
    assert any(n.startswith("made optional (NULL allowed)") for n in loaded.notes)


def test_a_spec_error_names_the_file_and_line(tmp_path):
    sql = "CREATE TABLE t (\n  id int PRIMARY KEY,\n  code varchar(2) DEFAULT 'abc'\n);"
    with pytest.raises(SpecError) as info:
        load(write(tmp_path, "bad.sql", sql))
    assert info.value.problems == [("bad.sql:3 t.code.default: default 'abc' must be at most 2 "
                                    "characters for a string field; fix: change the default or "
                                    "the type")]


def test_format_can_be_forced(tmp_path):
    path = write(tmp_path, "schema.txt", "CREATE TABLE t (id integer PRIMARY KEY);")
    assert load(path, fmt="postgres").project.table("t").field("id").primary_key


def test_set_null_on_a_required_column_becomes_no_action(tmp_path):
    sql = """CREATE TABLE a (id int PRIMARY KEY);
             CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a ON DELETE SET NULL);"""
    loaded = load(write(tmp_path, "s.sql", sql))
    field = loaded.project.table("b").field("a_id")
    assert (field.required, field.on_delete) == (True, None)  # NO ACTION, the default
    assert any(n.startswith("ON DELETE SET NULL on a NOT NULL column") and "b(a_id)" in n
               for n in loaded.notes)
