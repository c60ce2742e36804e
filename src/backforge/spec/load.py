"""Load a spec from a file or a mapping: read, convert, validate, normalize, check.

Every stage collects problems instead of stopping at the first; the caller
gets one `SpecError` listing all of them (each `location: message; fix: ...`
in the input's own path syntax), or a `LoadedSpec` whose notes list every
normalization made on the way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backforge.errors import SpecError
from backforge.fingerprint import spec_fingerprint
from backforge.spec import limits, sqlgate
from backforge.spec.checks import check, crud_overlaps
from backforge.spec.loaders import TEXT_SUFFIXES, choose, text_loader
from backforge.spec.loaders.common import Converted, LoadedSpec
from backforge.spec.model import Project
from backforge.spec.names import Names, resolve_with_problems
from backforge.spec.normalize import normalize
from backforge.spec.policy import resolve_with_problems as policy_problems
from backforge.spec.problems import Locator, render_all
from backforge.spec.reader import document_kind, parse_document, read_text, require_mapping
from backforge.spec.targets import stack_problems
from backforge.spec.text import text_problems
from backforge.spec.validation import validate_model

Source = str | Path | Mapping[str, Any]


def load(source: Source, *, fmt: str | None = None, stack: str | None = None) -> LoadedSpec:
    """Load and check a spec; raises SpecFileError / SpecError (exit code 2) on bad input.

    `.sql` and `.dbml` files (or `fmt` "sql", "postgres", "mysql", "sqlite", "dbml") are
    imported from their text; everything else is a YAML/JSON document. `stack` (the
    command line's --stack) replaces the spec's own stack and is checked like it."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        reader = text_loader(path, fmt)
        if reader is None:
            document_kind(path, TEXT_SUFFIXES)  # an unknown suffix fails before the read
        text = read_text(path)  # read once: the fingerprint is of the text parsed
        if reader is not None:
            loaded = load_converted(reader.convert_text(text, str(source)), str(source),
                                    reader.name, stack=stack)
        else:
            data = require_mapping(parse_document(path, text), str(source))
            loader = choose(data, fmt)
            loaded = _finish(loader.convert(data), str(source), loader.name, stack)
        return dataclasses.replace(
            loaded, fingerprint=spec_fingerprint(text, path.suffix, fmt, stack))
    data, where = _document(source)
    loader = choose(data, fmt)
    return _finish(loader.convert(data), where, loader.name, stack)


def load_converted(converted: Converted, where: str, fmt: str, *,
                   stack: str | None = None) -> LoadedSpec:
    """The rest of the pipeline for data an importer produced (e.g. from a live database)."""
    return _finish(converted, where, fmt, stack)


def load_project(source: Source, *, fmt: str | None = None) -> Project:
    return load(source, fmt=fmt).project


def _document(source: Source) -> tuple[dict[str, Any], str]:
    if isinstance(source, Mapping):
        return dict(source), "<dict>"
    raise TypeError(f"load() takes a path or a mapping, not {type(source).__name__}")


def _with_stack(converted: Converted, stack: str) -> Converted:
    """The command line's stack wins over the file's; its errors name `--stack`."""
    paths = {**converted.locator.paths, "stack": "--stack"}
    return dataclasses.replace(converted, data={**converted.data, "stack": stack},
                               locator=Locator(paths, converted.locator.prepended))


def _finish(converted: Converted, where: str, fmt: str, stack: str | None = None) -> LoadedSpec:
    if stack is not None:
        converted = _with_stack(converted, stack)
    too_big = limits.check_document(converted.data)
    if too_big:  # before pydantic builds a size bomb's objects
        raise SpecError(render_all(too_big, converted.locator), source=where)
    project, model_problems = validate_model(converted.data)
    early = render_all([*converted.problems, *text_problems(converted.data), *model_problems],
                       converted.locator)
    if project is None:
        raise SpecError(early, source=where)
    untyped = frozenset((ti, project.tables[ti].fields[fi].name) for ti, fi in converted.untyped)
    done = normalize(project, untyped)
    locator = converted.locator.with_prepended(done.prepended)
    names, name_problems = resolve_with_problems(done.project)
    # Raw SQL (checks, index predicates and methods, db_type) leaves here re-rendered.
    gated, sql_problems = sqlgate.gate(done.project, names)
    _, access_problems = policy_problems(done.project)
    late = render_all([*stack_problems(done.project.stack), *done.problems, *name_problems,
                       *limits.check_project(done.project), *sql_problems,
                       *check(done.project, untyped), *access_problems], locator)
    if early or late:
        raise SpecError(list(dict.fromkeys(early + late)), source=where)
    notes = [n.render(converted.locator) for n in converted.notes]
    notes += [n.render(locator) for n in (*done.notes, *crud_overlaps(gated, names))]
    return LoadedSpec(gated, _located(names, locator), tuple(notes), where, fmt)


def _located(names: Names, locator: Locator) -> Names:
    """Renames name places in the user's file, like every other message."""
    if not locator.paths and not locator.prepended:
        return names  # native input: the places are already the file's own
    renames = tuple(dataclasses.replace(r, where=locator.translate(r.where)) for r in names.renames)
    return Names(names.tables, renames)
