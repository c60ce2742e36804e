"""The generated reference pages cover the code: every spec model field, every CLI option."""

from __future__ import annotations

import argparse
import re

import pytest
import yaml
from pydantic import BaseModel

from backforge import _docgen, load
from backforge.cli import _parser
from backforge.spec import access as spec_access
from backforge.spec import model as spec_model


def _models() -> list[type[BaseModel]]:
    """Every pydantic model of the spec, found by walking the modules that define them (not
    by _docgen's list)."""
    return [v for module in (spec_model, spec_access) for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, BaseModel)
            and v.__module__ == module.__name__ and not v.__name__.startswith("_")]


def _section(page: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", page, re.DOTALL | re.MULTILINE)
    assert match, f"no section '## {title}'"
    return match[1]


def test_every_field_of_every_spec_model_is_in_the_reference():
    page = _docgen.spec_reference()
    models = _models()
    assert {m.__name__ for m in models} == {m.__name__ for m in _docgen.MODELS}
    for model in models:
        section = _section(page, model.__name__)
        for key, info in model.model_fields.items():
            row = next((line for line in section.splitlines()
                        if line.startswith(f"| `{key}` |")), None)
            assert row, f"{model.__name__}.{key} is missing from the spec reference"
            assert info.description and info.description.split()[0] in row, (
                f"{model.__name__}.{key}: the model has no description or the row lacks it")
            if info.is_required():
                assert "**required**" in row


def test_every_field_type_and_on_delete_value_is_listed():
    page = _docgen.spec_reference()
    types = _section(page, "Field types")
    for ftype in spec_model.FieldType:
        assert f"| `{ftype.value}` |" in types
        assert f'"a_{ftype.value}"' in types  # the generated migration shows it
    for value in spec_model.OnDelete:
        assert f"`{value.value}`" in _section(page, "on_delete values")


@pytest.mark.parametrize("name", sorted(_docgen.EXAMPLES))
def test_each_yaml_example_is_valid(name):
    model = next(m for m in _docgen.MODELS if m.__name__ == name)
    data = yaml.safe_load(_docgen.EXAMPLES[name])
    items = data if isinstance(data, list) else [data]
    for item in items:
        model.model_validate(item)
    if name == "Project":
        assert load(data).project.name == "Task Manager"  # the whole pipeline, checks too


def test_the_other_formats_show_real_importer_output():
    page = _docgen.spec_reference()
    sql = _section(page, "SQL DDL")
    assert "db_type: text[]" in sql and "on_delete: cascade" in sql and "min: 0" in sql
    dbml = _section(page, "DBML")
    assert "references: users.id" in dbml and "auto_increment: true" in dbml
    tool = _section(page, "Design tool JSON project")
    assert "path: /posts/{id}/publish" in tool and "path: /authors/{id}/stats" in tool


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_cli_command_and_option_is_in_the_cli_reference():
    parser = _parser()
    page = _docgen.cli_reference(parser)
    for option in (s for a in parser._actions for s in a.option_strings):
        assert f"`{option}`" in page.split("## backforge ", 1)[0]
    for name, command in _commands(parser).items():
        section = _section(page, f"backforge {name}")
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            names = action.option_strings or [action.dest]
            row = next((line for line in section.splitlines()
                        if line.startswith(f"| `{names[0]}`")), None)
            assert row, f"backforge {name} {names[0]} is missing from the CLI reference"
            for option in names:
                assert f"`{option}`" in row
            if action.default not in (None, False, [], argparse.SUPPRESS):
                assert f"`{action.default}`" in row, f"{name} {names[0]}: default not shown"


def test_a_new_option_appears_without_editing_markdown():
    parser = _parser()
    _commands(parser)["doctor"].add_argument("--brand-new", help="only in this test")
    section = _section(_docgen.cli_reference(parser), "backforge doctor")
    assert "| `--brand-new` |" in section and "only in this test" in section
