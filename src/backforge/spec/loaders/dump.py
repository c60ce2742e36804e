"""A Project as native YAML: what `backforge import` writes for the user to edit.

Only what differs from the model's defaults is written, in the model's own
field order, so the file reads like a hand-written spec; loading it back gives
the same Project. Import notes go on top as YAML comments.
"""

from __future__ import annotations

from typing import Any

import yaml

from backforge.spec.model import Project


class _Dumper(yaml.SafeDumper):
    """Block style for mappings; short lists of plain values (field names) on one line."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(isinstance(v, (str, int, float, bool)) for v in data) \
        and sum(len(str(v)) for v in data) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def project_data(project: Project) -> dict[str, Any]:
    """The project as plain data, defaults left out; whole-number bounds written as such."""
    data = project.model_dump(mode="json", exclude_defaults=True)
    for table in data.get("tables", ()):
        for field in table.get("fields", ()):
            for key in ("min", "max"):
                value = field.get(key)
                if isinstance(value, float) and value.is_integer():
                    field[key] = int(value)
    return data


def to_yaml(project: Project, notes: tuple[str, ...] | list[str] = (),
            source: str | None = None) -> str:
    head = []
    if source:
        head.append(f"# Imported from {source} by backforge import. Edit freely; "
                    "`backforge generate` reads this file.")
    if notes:
        head.append("# What the import did:")
        for note in notes:
            first, *rest = _wrap(note)
            head += [f"#   - {first}", *(f"#       {line}" for line in rest)]
    body = yaml.dump(project_data(project), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=False)
    return ("\n".join(head) + "\n\n" if head else "") + body


def _wrap(note: str, width: int = 96) -> list[str]:
    """One note over several comment lines."""
    words, lines, line = note.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [text.replace("\n", " ") for text in lines]
