"""package-lock.json for every dependency set an Express stack can declare.

A generated package.json depends on the enabled options (auth adds
jsonwebtoken, tests adds the test runner), so each stack keeps one lockfile per
combination of those options as data under its `lockfiles/`. Generation copies the one
whose root dependencies equal the project's, with the project's name, version and
engines written into its root entry: `npm ci` then installs exactly the tree that was
resolved when the lockfiles were refreshed, for every option combination.

Refreshing is maintenance, never part of generation (it needs npm and the registry):
`python -m backforge.stacks.<stack>.deps [npm]` (the stack's `LOCKS`, a `LockStore`)
resolves each combination with `npm install --package-lock-only --ignore-scripts` and
rewrites the files; tests/stack/test_lockfiles.py fails when a stack's deps and its
stored lockfiles disagree.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from backforge.plan.model import ModuleDef

NODE_ENGINES = {"node": ">=22"}
Deps = tuple[dict[str, str], dict[str, str]]


class LockStore:
    """One stack's stored lockfiles (`folder`), for its module table and packages."""

    def __init__(self, folder: Path, modules: Iterable[ModuleDef],
                 runtime: Mapping[str, Iterable[str]], development: Mapping[str, Iterable[str]],
                 project_dependencies: Callable[[Iterable[str]], Deps]) -> None:
        mods = tuple(modules)
        self.folder = folder
        self.project_dependencies = project_dependencies
        # Optional modules that change package.json; every other module is always present
        # (config, utils, ...) or adds no package (docker, terraform).
        self.optional = tuple(m.name for m in mods
                              if m.option and (m.name in runtime or m.name in development))
        self.always = tuple(m.name for m in mods if not m.option)

    def combinations(self) -> list[tuple[str, ...]]:
        """Every subset of the optional modules that change the dependencies."""
        return [combo for n in range(len(self.optional) + 1)
                for combo in itertools.combinations(self.optional, n)]

    def deps(self, combo: Iterable[str]) -> Deps:
        return self.project_dependencies((*self.always, *combo))

    @cached_property
    def stored(self) -> tuple[dict[str, Any], ...]:
        return tuple(json.loads(p.read_text()) for p in sorted(self.folder.glob("*.json")))

    def lockfile(self, manifest: Mapping[str, Any]) -> str | None:
        """The stored lockfile for this package.json, as the project's package-lock.json;
        None when no stored lockfile resolves exactly its dependencies (refresh them)."""
        deps, dev = manifest.get("dependencies", {}), manifest.get("devDependencies", {})
        for lock in self.stored:
            root = lock["packages"][""]
            if root.get("dependencies", {}) == deps and root.get("devDependencies", {}) == dev:
                out = json.loads(json.dumps(lock))  # a deep copy: the cached one stays pristine
                out["name"], out["version"] = manifest["name"], manifest["version"]
                out["packages"][""] = {
                    "name": manifest["name"], "version": manifest["version"],
                    **{k: manifest[k] for k in ("dependencies", "devDependencies", "engines")
                       if manifest.get(k)}}
                return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
        return None

    def refresh(self, npm: str = "npm") -> list[Path]:
        """Resolve every combination against the registry and store its lockfile."""
        self.folder.mkdir(exist_ok=True)
        written = []
        for combo in self.combinations():
            deps, dev = self.deps(combo)
            manifest = {"name": f"backforge-{lock_name(combo)}", "version": "0.0.0",
                        "private": True, "engines": NODE_ENGINES,
                        "dependencies": deps, "devDependencies": dev}
            with tempfile.TemporaryDirectory(prefix="bf-lock-") as tmp:
                (Path(tmp) / "package.json").write_text(json.dumps(manifest, indent=2))
                subprocess.run([npm, "install", "--package-lock-only", "--ignore-scripts",
                                "--no-audit", "--no-fund", "--loglevel=error"],
                               cwd=tmp, check=True)
                lock = json.loads((Path(tmp) / "package-lock.json").read_text())
            target = self.folder / f"{lock_name(combo)}.json"
            target.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n")
            written.append(target)
        self.__dict__.pop("stored", None)
        return written

    def main(self, argv: list[str]) -> None:
        """The refresh command of a stack's deps module: `[npm]` is the npm to run."""
        for path in self.refresh(*argv[:1]):
            print(path)


def lock_name(combo: Iterable[str]) -> str:
    return "+".join(combo) or "base"


def pins(versions: Mapping[str, str], packages: Iterable[str]) -> dict[str, str]:
    """`{name: version}` of `packages` from a stack's version table, sorted."""
    return {name: versions[name] for name in sorted(set(packages))}


def module_deps(versions: Mapping[str, str], runtime: Mapping[str, Iterable[str]],
                development: Mapping[str, Iterable[str]], module: str) -> Deps:
    """(dependencies, devDependencies) that one module's files require."""
    return pins(versions, runtime.get(module, ())), pins(versions, development.get(module, ()))


def project_deps(versions: Mapping[str, str], runtime: Mapping[str, Iterable[str]],
                 development: Mapping[str, Iterable[str]], modules: Iterable[str]) -> Deps:
    """package.json's (dependencies, devDependencies) for the enabled modules."""
    mods = list(modules)
    run = {p for m in mods for p in runtime.get(m, ())}
    dev = {p for m in mods for p in development.get(m, ())} - run
    return pins(versions, run), pins(versions, dev)
