"""Bad input: every case raises an InputError subclass (exit code 2) naming the place."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from backforge.errors import InputError, SpecError, SpecFileError
from backforge.spec import load

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
_ROW = re.compile(r"^\| (?P<file>[^ |]+) \| `(?P<where>.+)` \| (?P<error>\w+) \|$")


def _expected() -> list[tuple[str, str, str]]:
    rows = []
    for line in (BAD / "EXPECTED.md").read_text().splitlines():
        m = _ROW.match(line)
        if m:
            rows.append((m["file"], m["error"], m["where"]))
    return rows


def _fails(path: Path | dict, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        load(path, **kw)
    assert info.value.exit_code == 2
    return info.value


def test_expected_table_covers_every_bad_file():
    listed = {row[0] for row in _expected()}
    on_disk = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.md"}
    assert listed == on_disk
    assert len(listed) >= 30


@pytest.mark.parametrize(("name", "error", "where"), _expected())
def test_every_bad_file_fails_at_its_location(name, error, where):
    exc = _fails(BAD / name)
    assert type(exc).__name__ == error
    assert where in str(exc)


def test_missing_file():
    exc = _fails(BAD / "no_such_spec.yaml")
    assert isinstance(exc, SpecFileError)
    assert str(exc) == f"{BAD / 'no_such_spec.yaml'}: file not found"


def test_directory_is_not_a_spec(tmp_path):
    folder = tmp_path / "spec.yaml"
    folder.mkdir()
    exc = _fails(folder)
    assert isinstance(exc, SpecFileError) and "is a directory" in str(exc)


def _load_message(path: Path) -> str:
    try:
        load(path)
    except InputError as exc:
        return f"{exc.exit_code}|{exc}"
    return "loaded"


def _load_message_as_nobody(path: Path) -> str:
    """Root reads any file, so drop to uid 65534 in a forked child to get a real EACCES."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write_end, _load_message(path).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        message = pipe.read()
    os.waitpid(pid, 0)
    return message


def test_unreadable_file(tmp_path):
    spec = tmp_path / "locked.yaml"
    spec.write_text("name: x\n")
    spec.chmod(0)
    tmp_path.chmod(0o755)
    message = _load_message_as_nobody(spec) if os.geteuid() == 0 else _load_message(spec)
    assert message == f"2|{spec}: cannot read the file: permission denied"


def test_malformed_yaml_has_line_and_column():
    exc = _fails(BAD / "malformed.yaml")
    assert isinstance(exc, SpecFileError)
    assert exc.line == 6
    assert "(line 6, column 3)" in exc.reason


def test_malformed_json_has_line_and_column():
    exc = _fails(BAD / "malformed.json")
    assert isinstance(exc, SpecFileError)
    assert exc.line == 4
    assert "(line 4, column 64)" in exc.reason


def test_unknown_type_lists_known_types():
    exc = _fails(BAD / "unknown_type.yaml")
    assert isinstance(exc, SpecError)
    (problem,) = exc.problems
    assert problem.startswith("tables[0].fields[1].type: unknown type 'strng' "
                              "(did you mean 'string'?)")
    for known in ("varchar(n)", "integer", "serial", "numeric(p,s)", "timestamptz", "jsonb",
                  "uuid", "enum"):
        assert known in problem


def test_all_problems_are_collected_not_just_the_first():
    exc = _fails(BAD / "many_problems.yaml")
    assert isinstance(exc, SpecError)
    assert [p.split(":")[0] for p in exc.problems] == [
        "tables[0].fields[1].type",
        "tables[1].fields[1].references",
        "tables[1].fields[2].references",
        "endpoints[0].table",
    ]
    assert "type integer does not match users.id (uuid)" in exc.problems[2]


def test_every_problem_has_a_fix_hint_for_checks():
    for name in ("missing_ref_table.yaml", "required_fk_cycle.yaml", "duplicate_table.yaml",
                 "set_null_required.yaml", "collide_after_sanitize.yaml", "ref_not_unique.yaml"):
        exc = _fails(BAD / name)
        assert all("; fix: " in p for p in exc.problems), exc.problems


def test_reference_hint_suggests_the_closest_name():
    exc = _fails(BAD / "missing_ref_field.yaml")
    assert exc.problems == [("tables[1].fields[1].references: table 'users' has no field 'uid'; "
                            "fix: did you mean 'id'?")]


def test_fk_to_one_column_of_a_composite_key_is_not_unique():
    spec = {"name": "x", "tables": [
        {"name": "pairs", "fields": [{"name": "a", "type": "integer", "primary_key": True},
                                     {"name": "b", "type": "integer", "primary_key": True}]},
        {"name": "refs", "fields": [{"name": "id", "type": "uuid", "primary_key": True},
                                    {"name": "a", "type": "integer", "references": "pairs.a"}]},
    ]}
    exc = _fails(spec)
    assert "tables[1].fields[1].references: 'pairs.a' is neither the primary key nor unique" \
        in str(exc)


def test_integer_may_reference_bigint_and_string_may_reference_text():
    spec = {"name": "x", "tables": [
        {"name": "big", "fields": [{"name": "id", "type": "bigint", "primary_key": True},
                                   {"name": "code", "type": "text", "unique": True}]},
        {"name": "small", "fields": [
            {"name": "id", "type": "integer", "primary_key": True},
            {"name": "big_id", "type": "integer", "references": "big.id"},
            {"name": "code", "type": "VARCHAR(20)", "references": "big.code"}]},
    ]}
    assert load(spec).project.table("small").field("big_id").references == "big.id"


def test_longer_required_cycle_is_named_in_order():
    def table(name, ref):
        return {"name": name, "fields": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": f"{ref}_id", "type": "uuid", "required": True, "references": f"{ref}.id"}]}
    spec = {"name": "x", "tables": [table("a", "b"), table("b", "c"), table("c", "a"),
                                    table("d", "a")]}
    exc = _fails(spec)
    (problem,) = exc.problems
    assert "a.b_id -> b.c_id -> c.a_id -> a" in problem
    assert problem.startswith("tables[0].fields[1].references")


def test_optional_fk_breaks_the_cycle():
    spec = {"name": "x", "tables": [
        {"name": "a", "fields": [{"name": "id", "type": "uuid", "primary_key": True},
                                 {"name": "b_id", "type": "uuid", "references": "b.id"}]},
        {"name": "b", "fields": [{"name": "id", "type": "uuid", "primary_key": True},
                                 {"name": "a_id", "type": "uuid", "required": True,
                                  "references": "a.id"}]},
    ]}
    assert len(load(spec).project.tables) == 2


def test_set_null_on_primary_key_field():
    spec = {"name": "x", "tables": [
        {"name": "a", "fields": [{"name": "id", "type": "uuid", "primary_key": True}]},
        {"name": "b", "fields": [{"name": "a_id", "type": "uuid", "primary_key": True,
                                  "references": "a.id", "on_delete": "set_null"}]},
    ]}
    assert "tables[1].fields[0].on_delete: set_null on a primary key field" in str(_fails(spec))


def test_auto_increment_on_a_non_key_field_is_allowed():
    spec = {"name": "x", "tables": [{"name": "orders", "fields": [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "number", "type": "serial"}]}]}
    number = load(spec).project.tables[0].field("number")
    assert number.auto_increment and not number.primary_key


def test_auto_increment_with_a_default_is_rejected():
    spec = {"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "bigserial", "default": 5}]}]}
    assert "tables[0].fields[0].default: an auto-increment field cannot have a default" \
        in str(_fails(spec))


def test_type_spelling_that_contradicts_explicit_key():
    spec = {"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "code", "type": "VARCHAR(10)", "max_length": 20}]}]}
    assert "tables[0].fields[1].max_length: 20 contradicts the type 'VARCHAR(10)'" \
        in str(_fails(spec))


def test_max_length_on_a_non_string_field():
    spec = {"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "n", "type": "integer", "max_length": 20}]}]}
    assert "tables[0].fields[1].max_length: max_length only applies to string fields, not integer" \
        in str(_fails(spec))


def test_pydantic_errors_use_spec_paths_not_a_raw_dump():
    spec = {"name": "x", "options": {"auth": "maybe"}, "tables": [
        {"name": "t", "fields": [{"name": "id", "type": "uuid", "primary_key": True,
                                  "default": {"a": 1}},
                                 {"type": "text"}]}]}
    exc = _fails(spec)
    text = str(exc)
    assert "options.auth: must be a valid boolean" in text
    assert "tables[0].fields[1].name: required key is missing" in text
    assert "tables[0].fields[0].default: must be a valid string or " in text
    for raw in ("validation error", "For further information", "type=", "input_value"):
        assert raw not in text


def test_unknown_top_level_key_lists_allowed_keys():
    exc = _fails({"name": "x", "tabels": [], "tables": [
        {"name": "t", "fields": [{"name": "id", "type": "uuid"}]}]})
    assert "tabels: unknown key 'tabels'; fix: did you mean 'tables'?" in str(exc)


def test_unknown_format_name():
    exc = _fails({"name": "x"}, fmt="dbml2")
    assert "unknown spec format 'dbml2'" in str(exc)


def test_names_without_letters_are_rejected():
    spec = {"name": "x", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "uuid", "primary_key": True}, {"name": "--", "type": "text"}]}]}
    assert "tables[0].fields[1].name: field name '--' has no letters or digits" in str(_fails(spec))


def test_designtool_errors_name_the_tools_own_paths():
    exc = _fails(BAD / "designtool_missing_ref.json")
    assert exc.problems[0].startswith("schema[0].fields[1].references:")


def test_field_index_after_an_added_id_is_the_users_index():
    # post_tags gets an `id` at fields[0]; the bad reference is still fields[1] in the file.
    spec = {"name": "x", "tables": [
        {"name": "tags", "fields": [{"name": "id", "type": "serial"}]},
        {"name": "post_tags", "fields": [
            {"name": "post_id", "type": "uuid", "required": True},
            {"name": "tag_id", "type": "integer", "required": True, "references": "tagz.id"}]},
    ]}
    assert "tables[1].fields[1].references: table 'tagz' does not exist" in str(_fails(spec))


def test_unknown_type_does_not_cause_follow_up_errors():
    # The field keeps a placeholder type so the rest of the spec is still checked, but
    # rules that depend on its type (FK type match, key type) stay quiet about it.
    spec = {"name": "x", "tables": [
        {"name": "users", "fields": [{"name": "id", "type": "uuidd"}]},
        {"name": "posts", "fields": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "author_id", "type": "uuid", "references": "users.id"},
            {"name": "state", "type": "enm", "values": ["a", "b"]}]},
    ]}
    exc = _fails(spec)
    assert [p.split(":")[0] for p in exc.problems] == ["tables[0].fields[0].type",
                                                       "tables[1].fields[2].type"]
