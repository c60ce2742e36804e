"""The spec's database-level lists (db_type, unique, indexes, checks, foreign_keys,
extensions) validate with errors that name the place."""

from __future__ import annotations

import pytest

from backforge.errors import SpecError
from backforge.spec import load


def _spec(**table_extra):
    return {"name": "x", "database": {"extensions": ["citext"]}, "tables": [
        {"name": "a", "fields": [{"name": "id", "type": "integer", "primary_key": True},
                                 {"name": "v", "type": "integer", "primary_key": True}]},
        {"name": "b", "fields": [{"name": "id", "type": "integer", "primary_key": True},
                                 {"name": "a_id", "type": "integer"},
                                 {"name": "a_v", "type": "integer", "db_type": "smallint"}],
         **table_extra}]}


def test_a_valid_spec_keeps_every_list():
    loaded = load(_spec(unique=[["a_id", "a_v"]], checks=['"a_v" > 0'],
                        indexes=[{"fields": ["a_v"], "using": "hash"}],
                        foreign_keys=[{"fields": ["a_id", "a_v"], "references": "a",
                                       "ref_fields": ["id", "v"], "on_delete": "cascade"}]))
    b = loaded.project.table("b")
    assert b.unique == (("a_id", "a_v"),) and b.checks == ('"a_v" > 0',)
    assert b.field("a_v").db_type == "smallint"
    assert loaded.project.database.extensions == ("citext",)


@pytest.mark.parametrize(("extra", "message"), [
    ({"unique": [["a_id", "nope"]]}, "tables[1]: unique: table 'b' has no field 'nope'"),
    ({"indexes": [{"fields": ["a_id", "a_id"]}]}, "tables[1]: indexes: a field list must be"),
    ({"foreign_keys": [{"fields": ["a_id", "a_v"], "references": "zz",
                        "ref_fields": ["id", "v"]}]},
     "tables[1].foreign_keys[0]: table 'zz' does not exist"),
    ({"foreign_keys": [{"fields": ["a_id", "a_v"], "references": "a",
                        "ref_fields": ["id", "w"]}]},
     "tables[1].foreign_keys[0]: table 'a' has no field 'w'"),
    ({"foreign_keys": [{"fields": ["a_id", "a_v"], "references": "a",
                        "ref_fields": ["id", "v", "id"]}]},
     "tables[1].foreign_keys[0]: a foreign key needs as many 'ref_fields' as 'fields'"),
])
def test_mistakes_are_located(extra, message):
    with pytest.raises(SpecError) as info:
        load(_spec(**extra))
    assert any(message in p for p in info.value.problems), info.value.problems
