"""package-lock.json for every dependency set the stack can declare.

A generated package.json depends on the enabled options (auth adds
jsonwebtoken, tests adds jest and supertest), so the stack keeps one lockfile per
combination of those options as data under `lockfiles/`. Generation copies the one
whose root dependencies equal the project's, with the project's name, version and
engines written into its root entry: `npm ci` then installs exactly the tree that was
resolved when the lockfiles were refreshed, for every option combination.

Refreshing is maintenance, never part of generation (it needs npm and the registry):

    python -m backforge.stacks.express_js.lockfiles

resolves each combination with `npm install --package-lock-only --ignore-scripts` and
rewrites the files; tests/stack/test_lockfiles.py fails when deps.py and the stored
lockfiles disagree.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from backforge.stacks.express_js.deps import DEVELOPMENT, RUNTIME, project_dependencies
from backforge.stacks.express_js.layout import MODULES

LOCKFILES = Path(__file__).parent / "lockfiles"
NODE_ENGINES = {"node": ">=22"}

# Optional modules that change package.json; every other module is always present
# (config, utils, ...) or adds no package (docker, terraform).
OPTIONAL = tuple(m.name for m in MODULES
                 if m.option and (m.name in RUNTIME or m.name in DEVELOPMENT))
ALWAYS = tuple(m.name for m in MODULES if not m.option)


def combinations() -> list[tuple[str, ...]]:
    """Every subset of the optional modules that change the dependencies."""
    return [combo for n in range(len(OPTIONAL) + 1)
            for combo in itertools.combinations(OPTIONAL, n)]


def lock_name(combo: Iterable[str]) -> str:
    return "+".join(combo) or "base"


def _deps(combo: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    return project_dependencies((*ALWAYS, *combo))


@cache
def _stored() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(p.read_text()) for p in sorted(LOCKFILES.glob("*.json")))


def lockfile(manifest: Mapping[str, Any]) -> str | None:
    """The stored lockfile for this package.json, as the project's package-lock.json;
    None when no stored lockfile resolves exactly its dependencies (refresh them)."""
    deps, dev = manifest.get("dependencies", {}), manifest.get("devDependencies", {})
    for lock in _stored():
        root = lock["packages"][""]
        if root.get("dependencies", {}) == deps and root.get("devDependencies", {}) == dev:
            out = json.loads(json.dumps(lock))  # a deep copy: the cached one stays pristine
            out["name"], out["version"] = manifest["name"], manifest["version"]
            out["packages"][""] = {"name": manifest["name"], "version": manifest["version"],
                                   **{k: manifest[k] for k in ("dependencies", "devDependencies",
                                                               "engines") if manifest.get(k)}}
            return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    return None


def refresh(npm: str = "npm") -> list[Path]:
    """Resolve every combination against the registry and store its lockfile."""
    LOCKFILES.mkdir(exist_ok=True)
    written = []
    for combo in combinations():
        deps, dev = _deps(combo)
        manifest = {"name": f"backforge-{lock_name(combo)}", "version": "0.0.0",
                    "private": True, "engines": NODE_ENGINES,
                    "dependencies": deps, "devDependencies": dev}
        with tempfile.TemporaryDirectory(prefix="bf-lock-") as tmp:
            (Path(tmp) / "package.json").write_text(json.dumps(manifest, indent=2))
            subprocess.run([npm, "install", "--package-lock-only", "--ignore-scripts",
                            "--no-audit", "--no-fund", "--loglevel=error"],
                           cwd=tmp, check=True)
            lock = json.loads((Path(tmp) / "package-lock.json").read_text())
        target = LOCKFILES / f"{lock_name(combo)}.json"
        target.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n")
        written.append(target)
    _stored.cache_clear()
    return written


if __name__ == "__main__":
    for path in refresh(*sys.argv[1:2]):
        print(path)
