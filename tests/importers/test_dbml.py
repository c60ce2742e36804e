"""DBML import: every Ref form, enums, column settings, indexes (tests/importers/data/shop.dbml)."""

from __future__ import annotations

import pytest

from backforge.errors import SpecFileError
from backforge.spec import load
from backforge.spec.model import FieldType, OnDelete
from tests.importers.conftest import DATA, write


@pytest.fixture(scope="module")
def shop():
    return load(DATA / "shop.dbml")


def test_tables_columns_and_settings(shop):
    assert shop.format == "dbml" and shop.project.name == "shop"
    users = shop.project.table("users")
    assert users.description == "people who buy"
    uid, email = users.field("id"), users.field("email")
    assert uid.primary_key and uid.auto_increment and uid.type is FieldType.INTEGER
    assert (email.type, email.max_length, email.unique, email.required, email.description) == (
        FieldType.STRING, 120, True, True, "login name")
    assert users.field("created_at").default == "now"
    assert users.field("active").default is True
    products = shop.project.table("products")
    assert (products.field("price").precision, products.field("price").default) == (10, 0)
    assert products.field("weight").db_type == "real"
    assert shop.project.table("profiles").field("bio").default == ""
    assert shop.project.table("orders").field("id").type is FieldType.BIGINT


def test_enum(shop):
    status = shop.project.table("orders").field("status")
    assert (status.type, status.values, status.default, status.required) == (
        FieldType.ENUM, ("pending", "shipped", "delivered"), "pending", True)


def test_inline_and_short_refs(shop):
    user = shop.project.table("orders").field("user_id")  # inline, through the alias U
    assert (user.references, user.on_delete) == ("users.id", None)
    order = shop.project.table("order_lines").field("order_id")
    assert (order.references, order.on_delete) == ("orders.id", OnDelete.CASCADE)


def test_one_to_many_from_the_one_side(shop):
    reviews = shop.project.table("reviews")
    assert (reviews.field("user_id").references, reviews.field("user_id").on_delete) == (
        "users.id", OnDelete.SET_NULL)
    assert reviews.field("product_id").references == "products.id"
    assert any("ON UPDATE actions are not kept" in n and "reviews(user_id)" in n
               for n in shop.notes)


def test_one_to_one_puts_the_key_on_the_left(shop):
    profile = shop.project.table("profiles").field("user_id")
    assert (profile.references, profile.on_delete) == ("users.id", OnDelete.CASCADE)


def test_long_composite_ref(shop):
    (key,) = shop.project.table("shipments").foreign_keys
    assert (key.name, key.fields, key.references, key.ref_fields, key.on_delete) == (
        "shipment_line", ("order_id", "line"), "order_lines", ("order_id", "line"),
        OnDelete.RESTRICT)
    lines = shop.project.table("order_lines")
    assert [f.name for f in lines.primary_key] == ["order_id", "line"]  # index [pk]


def test_many_to_many_creates_a_junction_table(shop):
    junction = shop.project.table("products_tags")
    assert [(f.name, f.primary_key, f.references) for f in junction.fields] == [
        ("products_id", True, "products.id"), ("tags_id", True, "tags.id")]
    assert not junction.field("products_id").auto_increment
    assert "many-to-many Ref products <> tags: created the junction table products_tags" \
        in shop.notes


def test_indexes(shop):
    orders = shop.project.table("orders")
    assert [(i.name, i.fields, i.using) for i in orders.indexes] == [
        ("orders_user_status_idx", ("user_id", "status"), None),
        (None, ("placed_at",), "brin")]
    assert orders.field("code").unique  # a unique single-column index
    assert any(n.startswith("indexes on expressions") and "lower(code)" in n
               for n in shop.notes)


def test_malformed_dbml_names_the_line(tmp_path):
    path = write(tmp_path, "bad.dbml", "Table a {\n  id integer [pk]\n  name text [oops: 1]\n}\n")
    with pytest.raises(SpecFileError) as info:
        load(path)
    assert info.value.line is not None and "bad.dbml" in str(info.value)


@pytest.mark.parametrize(("name", "text"), [
    ("fk.sql", ("CREATE TABLE a (id int PRIMARY KEY);\n"
               "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id) "
               "ON DELETE SET DEFAULT ON UPDATE CASCADE);\n")),
    ("fk.dbml", ("Table a {\n  id int [pk]\n}\nTable b {\n  id int [pk]\n  a_id int\n}\n"
                "Ref: b.a_id > a.id [delete: set default, update: cascade]\n")),
])
def test_set_default_is_no_action_and_reported_by_every_importer(tmp_path, name, text):
    loaded = load(write(tmp_path, name, text))
    # NO ACTION is the spec default, so it is left out
    assert loaded.project.table("b").field("a_id").on_delete in (None, OnDelete.NO_ACTION)
    notes = "\n".join(loaded.notes)
    assert "ON DELETE SET DEFAULT" in notes and "b(a_id) -> a" in notes
    assert "ON UPDATE actions are not kept" in notes
