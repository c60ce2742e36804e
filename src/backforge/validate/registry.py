"""The registry: every known file of a project, parsed once.

Files are added incrementally (a unit at a time). Parse results are cached by
language and content hash, so a file re-added unchanged (the next unit's
context, a retry that kept a file) costs a dictionary lookup. Lookups answer
what later stages and prompts need: a file's exports (re-exports followed),
its functions, and where a relative import lands.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from backforge.validate.languages import Language, default_languages, language_for
from backforge.validate.model import Exports, ParsedFile
from backforge.validate.parallel import parse_all

# Beyond this many cached parses the cache starts over: a long session must not grow
# without bound; one 150-table run needs ~2,000 entries.
_CACHE_LIMIT = 50_000
T = TypeVar("T")


class Registry:
    def __init__(self, languages: Sequence[Language] | None = None) -> None:
        self.languages: tuple[Language, ...] = tuple(languages or default_languages())
        self._contents: dict[str, str] = {}  # every known path, parsed or not (e.g. .sql)
        self._parsed: dict[str, ParsedFile] = {}
        self._cache: dict[tuple[str, str, bytes], ParsedFile] = {}
        self._exports_memo: dict[str, Exports] = {}
        self._derived: dict[str, Any] = {}  # whole-project facts built by rules, per content
        # What the last sync_unit was given: the run's files so far and the unit's own.
        self._base: Mapping[str, str] | None = None
        self._own: tuple[str, ...] = ()

    def _changed(self) -> None:
        self._exports_memo.clear()
        self._derived.clear()

    def derived(self, key: str, build: Callable[[Registry], T]) -> T:
        """`build(self)`, computed once until any file changes (e.g. the SQL schema)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    # -- contents ------------------------------------------------------------------

    def add(self, path: str, content: str) -> ParsedFile | None:
        """Know `path` with `content`; parse it if a language handles it."""
        self.update({path: content})
        return self._parsed.get(path)

    def update(self, files: Mapping[str, str]) -> None:
        """Add many files; a large batch of new files is parsed on every core."""
        self._base = None
        pending: list[tuple[tuple[str, str, bytes], Language, str, str]] = []
        for path, content in files.items():
            old = self._contents.get(path)
            if old is not None and (old is content or old == content):
                continue
            self._contents[path] = content
            self._changed()
            lang = language_for(path, self.languages)
            if lang is None:
                self._parsed.pop(path, None)
                continue
            key = _cache_key(lang, path, content)
            cached = self._cache.get(key)
            if cached is not None:
                self._parsed[path] = cached if cached.path == path else replace(cached, path=path)
            else:
                pending.append((key, lang, path, content))
        for lang in {id(lang): lang for _, lang, _, _ in pending}.values():
            warm_up = getattr(lang, "warm_up", None)
            if warm_up is not None:
                warm_up()  # heavy imports once here, not once per forked worker
        results = parse_all([(lang.parse, path, content) for _, lang, path, content in pending])
        if len(self._cache) + len(results) > _CACHE_LIMIT:
            self._cache.clear()
        for (key, _, path, _), parsed in zip(pending, results, strict=True):
            self._cache[key] = self._parsed[path] = parsed

    def seed(self, parsed: Mapping[str, tuple[str, ParsedFile]]) -> int:
        """Take parses made earlier (path -> (content, ParsedFile), e.g. a regeneration's
        recorded facts, validate/facts.py) into the parse cache, keyed by that content:
        a file later added with exactly that content is not parsed again. Returns how
        many were taken (a path no language handles, or facts of another, are not)."""
        taken = 0
        for path, (content, facts) in parsed.items():
            lang = language_for(path, self.languages)
            if lang is None or facts.path != path or facts.language != lang.name:
                continue
            self._cache[_cache_key(lang, path, content)] = facts
            taken += 1
        return taken

    def discard(self, path: str) -> None:
        self._base = None
        if self._contents.pop(path, None) is not None:
            self._parsed.pop(path, None)
            self._changed()

    def sync(self, files: Mapping[str, str], likely_new: Collection[str] = ()) -> None:
        """Make the registry hold exactly `files` (unchanged files are not re-parsed).

        Called once per validated unit with the whole project so far. `likely_new` (the
        unit's own paths) lets the common case - everything known is unchanged and only
        those paths are new - skip building key sets: item views compare in C."""
        known = self._contents
        if known.items() <= files.items():
            fresh = [p for p in likely_new if p not in known]
            if len(known) + len(fresh) == len(files):
                self.update({p: files[p] for p in fresh})
                return
        for path in known.keys() - files.keys():
            self.discard(path)
        self.update({p: c for p, c in files.items() if known.get(p) is not c})

    def sync_unit(self, base: Mapping[str, str], own: Mapping[str, str]) -> None:
        """Make the registry hold exactly `{**base, **own}`: the run's validated files and
        one unit's answer. When `base` can say what changed since the last call's base
        (the engine's snapshots have `delta`), this costs what changed, not the project:
        one run validates every unit against the whole project so far."""
        last, last_own = self._base, self._own
        delta = getattr(base, "delta", None)
        changed = delta(last) if delta is not None and last is not None else None
        if changed is None:
            self.sync({**base, **own}, likely_new=own.keys())
        else:
            added, removed = changed
            stale = [p for p in last_own if p not in own]
            for path in (*removed, *stale):
                if path not in own and path not in base:
                    self.discard(path)
            self.update({p: base[p] for p in (*added, *stale) if p in base and p not in own})
            self.update(own)
        self._base, self._own = base, tuple(own)

    # -- lookups -------------------------------------------------------------------

    def __contains__(self, path: object) -> bool:
        return path in self._contents

    def __iter__(self) -> Iterator[str]:
        return iter(self._contents)

    def __len__(self) -> int:
        return len(self._contents)

    def content(self, path: str) -> str | None:
        return self._contents.get(path)

    def get(self, path: str) -> ParsedFile | None:
        return self._parsed.get(path)

    def parsed_files(self) -> Iterator[ParsedFile]:
        return iter(self._parsed.values())

    def language_of(self, path: str) -> Language | None:
        return language_for(path, self.languages)

    def resolve(self, from_path: str, specifier: str) -> str | None:
        lang = self.language_of(from_path)
        return lang.resolve(from_path, specifier, self._contents) if lang else None

    def exports_of(self, path: str) -> Exports | None:
        """The names `path` exports, re-exports followed; None if it is not parsed."""
        if path not in self._parsed:
            return None
        memo = self._exports_memo.get(path)
        if memo is None:
            memo = self._exports_memo[path] = self._collect_exports(path, set())
        return memo

    def import_statement(self, from_path: str, target: str) -> str | None:
        """The exact statement a file at `from_path` should write to use `target`
        (e.g. `const { findTasks } = require('../models/tasks');`), for prompts."""
        exports = self.exports_of(target)
        lang = self.language_of(from_path)
        render = getattr(lang, "import_statement", None)
        if exports is None or render is None:
            return None
        return render(from_path, target, exports, self._parsed[target].default_export)

    def signatures(self, path: str) -> list[str]:
        """What `path` exports, functions with their parameters: `async getTask(key)`."""
        parsed = self._parsed.get(path)
        exports = self.exports_of(path)
        if parsed is None or exports is None:
            return []
        functions = {f.name: f for f in parsed.functions}
        out = []
        for name in sorted(exports.names):
            fn = functions.get(name)
            out.append(name if fn is None else
                       f"{'async ' if fn.is_async else ''}{name}({', '.join(fn.params)})")
        return out

    def import_facts(self, origin: str, paths: Iterable[str]) -> list[dict[str, Any]]:
        """For prompts: each known path, the exact statement that imports it from
        `origin`, and its exported signatures."""
        return [{"path": p, "import": self.import_statement(origin, p),
                 "exports": self.signatures(p)} for p in paths if p in self]

    def _collect_exports(self, path: str, seen: set[str]) -> Exports:
        parsed = self._parsed[path]
        seen.add(path)
        names = set(parsed.exports)
        opaque = parsed.opaque_exports
        for spec in parsed.reexports:
            target = self.resolve(path, spec)
            if target is None or target not in self._parsed:
                opaque = True  # a package or a missing file: its names are unknown here
                continue
            if target in seen:
                continue  # a re-export cycle adds nothing new
            inner = self._collect_exports(target, seen)
            # `export * from` passes everything but the default; CommonJS passes the lot.
            names |= inner.names - {"default"} if parsed.is_esm else inner.names
            opaque = opaque or inner.opaque
        return Exports(frozenset(names), parsed.default_export is not None, opaque,
                       parsed.is_esm)


def _cache_key(lang: Language, path: str, content: str) -> tuple[str, str, bytes]:
    # The suffix is part of the key: the same text means ESM in .mjs, CommonJS in .js.
    digest = hashlib.blake2b(content.encode("utf-8", "replace"), digest_size=16).digest()
    return lang.name, posixpath.splitext(path)[1], digest
