"""Validation of a regeneration: replayed units whose inputs did not change are not
checked again.

A replayed unit hands over the very bytes that validated last run. Its checks can only
come out differently when something they read changed, so on its first attempt it is
passed without checking when, for each of its files (all JavaScript or TypeScript):

- the content is what the manifest recorded and the recorded facts (validate/facts.py)
  are of that content;
- every relative import and re-export resolves, among the files validated so far, to
  the same file as last run, with the content the manifest recorded, and so do that
  file's re-exports (what an importer checks is the names it exports, re-exports
  followed; not what it imports);
- package.json is unchanged if it imports a package, .env.example if it reads the
  environment; and it holds no SQL (the schema is every migration's, so SQL files and
  code with queries are always checked again).

Anything else - a changed unit, a unit importing one, a retry - is validated as
always, so an answer that breaks an unchanged importer's import is caught at that
importer, which then gets the usual repair attempts. The whole-project checks after
the run (validate_tree) still run over every file, the net for all cross-file rules.
"""

from __future__ import annotations

import hashlib
from collections import ChainMap
from collections.abc import Mapping

from backforge.engine.protocols import Generation, Issue, UnitContext
from backforge.plan.model import Unit
from backforge.validate.facts import Facts
from backforge.validate.languages import language_for
from backforge.validate.validator import UnitValidator

__all__ = ["IncrementalValidator"]

CODE = ("javascript", "typescript")


class IncrementalValidator:
    """The engine's Validator for a regeneration (see the module docstring)."""

    def __init__(self, inner: UnitValidator, recorded: Mapping[str, str],
                 facts: Mapping[str, Facts]) -> None:
        self.inner, self.recorded, self.facts = inner, recorded, facts
        self.registry = inner.registry
        self.skipped: set[str] = set()
        self._shas: dict[str, tuple[str, str]] = {}  # path -> (content seen, its sha256)

    def validate(self, unit: Unit, generation: Generation, ctx: UnitContext) -> list[Issue]:
        if ctx.attempt == 1 and generation.files and self._unchanged(generation, ctx):
            self.skipped.add(unit.id)
            return []
        self.skipped.discard(unit.id)
        return self.inner.validate(unit, generation, ctx)

    def _same(self, path: str, view: Mapping[str, str]) -> bool:
        """`path` is there with the content the manifest recorded."""
        content = view.get(path)
        if content is None or path not in self.recorded:
            return False
        seen = self._shas.get(path)
        if seen is None or seen[0] is not content:
            seen = self._shas[path] = (content, hashlib.sha256(content.encode()).hexdigest())
        return seen[1] == self.recorded[path]

    def _unchanged(self, generation: Generation, ctx: UnitContext) -> bool:
        view = ChainMap(generation.file_map(), ctx.files)  # type: ignore[arg-type]
        return all(self._own_same(f.path, view) for f in generation.files)

    def _own_same(self, path: str, view: Mapping[str, str]) -> bool:
        """Every check of `path` would read what it read last run (module docstring)."""
        known = self.facts.get(path)
        if known is None or not self._same(path, view) or known.sha != self.recorded[path]:
            return False
        parsed = known.parsed
        if parsed.language not in CODE or parsed.sql or parsed.sql_interpolations \
                or parsed.schema is not None:
            return False
        if parsed.env_reads and not self._same(".env.example", view):
            return False
        if any(not i.is_relative for i in parsed.imports) \
                and not self._same("package.json", view):
            return False
        return self._targets_same(path, {i.specifier for i in parsed.imports
                                         if i.is_relative} | set(parsed.reexports), view,
                                  {path})

    def _targets_same(self, path: str, specifiers: set[str], view: Mapping[str, str],
                      seen: set[str]) -> bool:
        """Each specifier of `path` loads the same file as last run, unchanged, and so do
        that file's re-exports (the names an importer sees follow them)."""
        known = self.facts[path]
        lang = language_for(path, self.inner.registry.languages)
        for spec in specifiers:
            target = lang.resolve(path, spec, view) if lang is not None else None
            if target is None or target != known.resolved.get(spec):
                return False
            if target in seen:
                continue
            seen.add(target)
            inner = self.facts.get(target)
            if inner is None or not self._same(target, view) or inner.sha != self.recorded[
                    target] or not self._targets_same(target, set(inner.parsed.reexports),
                                                      view, seen):
                return False
        return True
