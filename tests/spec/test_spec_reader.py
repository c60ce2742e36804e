"""Reading YAML/JSON: YAML 1.2 scalars, duplicate keys, formats by extension."""

from __future__ import annotations

import pytest

from backforge.errors import SpecFileError
from backforge.spec import load
from backforge.spec.reader import parse_json, parse_yaml


def test_yaml_keeps_yes_no_dates_and_leading_zeros_as_text():
    data = parse_yaml("a: [yes, no, on, off, NO]\nb: 2024-01-01\nc: 01234\nd: true\ne: 12\n"
                      "f: -3\ng: 1.5\n", "x.yaml")
    assert data == {"a": ["yes", "no", "on", "off", "NO"], "b": "2024-01-01", "c": "01234",
                    "d": True, "e": 12, "f": -3, "g": 1.5}


def test_enum_values_yes_no_survive_yaml(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("name: x\ntables:\n  - name: answers\n    fields:\n"
                    "      - {name: id, type: uuid, primary_key: true}\n"
                    "      - {name: reply, type: enum, values: [yes, no], default: no}\n"
                    "      - {name: country, type: string, default: NO}\n"
                    "      - {name: since, type: date, default: 2024-01-01}\n")
    table = load(spec).project.tables[0]
    assert table.field("reply").values == ("yes", "no")
    assert table.field("reply").default == "no"
    assert table.field("country").default == "NO"
    assert table.field("since").default == "2024-01-01"


def test_yaml_duplicate_key_is_an_error_with_its_line():
    with pytest.raises(SpecFileError) as info:
        parse_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", "d.yaml")
    assert info.value.line == 4
    assert str(info.value) == "d.yaml:4: malformed YAML: duplicate key 'c' (line 4, column 3)"


def test_json_duplicate_key_and_nan_are_errors():
    with pytest.raises(SpecFileError, match="duplicate key 'a'"):
        parse_json('{"a": 1, "a": 2}', "d.json")
    with pytest.raises(SpecFileError, match="NaN is not valid JSON"):
        parse_json('{"a": NaN}', "n.json")


def test_yml_extension_and_utf8_bom(tmp_path):
    spec = tmp_path / "s.yml"
    spec.write_bytes("\ufeffname: Café\ntables:\n  - name: t\n    fields:\n"
                     "      - {name: id, type: uuid}\n".encode())
    assert load(spec).project.name == "Café"


def test_extension_is_case_insensitive(tmp_path):
    spec = tmp_path / "S.JSON"
    spec.write_text('{"name": "x", "tables": [{"name": "t", "fields": '
                    '[{"name": "id", "type": "uuid"}]}]}')
    assert load(spec).project.tables[0].primary_key[0].name == "id"
