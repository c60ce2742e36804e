"""Load-time limits (spec/limits.py): exit 2 naming the place and the limit, never a
migration PostgreSQL refuses, never a traceback."""

from __future__ import annotations

import pytest

from backforge.cli import main
from backforge.errors import SpecError, SpecFileError
from backforge.spec import load


def _table(name: str, n_fields: int, **extra: object) -> dict:
    fields = [{"name": "id", "type": "integer", "primary_key": True}]
    fields += [{"name": f"f{i}", "type": "integer"} for i in range(n_fields - 1)]
    return {"name": name, "fields": fields, **extra}


def _refused(spec: dict) -> str:
    with pytest.raises(SpecError) as exc:
        load(spec)
    return str(exc.value)


def test_a_table_of_10000_fields_is_refused_at_its_place():
    text = _refused({"name": "p", "tables": [_table("a", 2), _table("wide", 10_000)]})
    assert "tables[1].fields: 10,000 fields exceed PostgreSQL's limit of 1,600" in text


def test_generated_columns_count_towards_the_1600():
    at_limit = _table("t", 1_598, timestamps=True)  # 1,598 + created_at + updated_at
    load({"name": "p", "tables": [at_limit]})
    text = _refused({"name": "p", "tables": [_table("t", 1_599, timestamps=True)]})
    assert "tables[0].fields: 1,601 columns (with the generated" in text


def test_a_table_without_a_key_counts_its_generated_id():
    fields = [{"name": f"f{i}", "type": "integer"} for i in range(1_600)]
    text = _refused({"name": "p", "tables": [{"name": "t", "fields": fields}]})
    assert "1,601 columns" in text


def test_too_many_tables_and_fields_in_all():
    text = _refused({"name": "p", "tables": [_table(f"t{i}", 1) for i in range(1_001)]})
    assert "tables: 1,001 tables exceed the limit of 1,000" in text
    text = _refused({"name": "p", "tables": [_table(f"t{i}", 1_000) for i in range(21)]})
    assert "tables: 21,000 fields in all exceed the limit of 20,000" in text


@pytest.mark.parametrize(("field", "place", "message"), [
    ({"type": "string", "max_length": 1_000_000_000_000}, "max_length", "10485760"),
    ({"type": "decimal", "precision": 1001, "scale": 2}, "precision", "1000"),
    ({"type": "decimal", "precision": 10, "scale": 11}, "scale", "scale must not exceed"),
])
def test_type_sizes_postgresql_refuses(field, place, message):
    text = _refused({"name": "p", "tables": [
        {"name": "t", "fields": [{"name": "id", "type": "integer", "primary_key": True},
                                 {"name": "v", **field}]}]})
    assert f"tables[0].fields[1].{place}: " in text and message in text, text


def test_a_varchar_type_spelling_is_held_to_the_same_limit():
    text = _refused({"name": "p", "tables": [
        {"name": "t", "fields": [{"name": "id", "type": "integer", "primary_key": True},
                                 {"name": "v", "type": "varchar(10485761)"}]}]})
    assert "tables[0].fields[1].max_length: " in text


def test_long_names_are_refused():
    text = _refused({"name": "p", "tables": [_table("t" * 300, 1)]})
    assert "tables[0].name: the name is 300 characters long; the limit is 255" in text
    text = _refused({"name": "p", "tables": [_table("t", 2, indexes=[
        {"name": "i" * 64, "fields": ["f0"]}])]})
    assert "tables[0].indexes[0].name: the name is 64 bytes long" in text


def test_a_spec_file_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("name: p\n" + "#" * 2000 + "\n", encoding="utf-8")
    monkeypatch.setattr("backforge.spec.reader.MAX_SPEC_BYTES", 1000)
    with pytest.raises(SpecFileError, match="the limit for a spec is 1,000 bytes"):
        load(path)


def test_the_cli_turns_a_size_bomb_into_exit_2(tmp_path, capsys):
    check = " AND ".join(["v > 0"] * 5000)
    spec = tmp_path / "bomb.yaml"
    spec.write_text("name: bomb\ntables:\n- name: t\n  fields:\n"
                    "  - {name: id, type: integer, primary_key: true}\n"
                    "  - {name: v, type: integer}\n"
                    f"  checks: ['{check}']\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "tables[0].checks[0]: " in err and "Traceback" not in err
    assert not out.exists()

