"""express-js's stored package-lock.json files, one per option combination (the store
is backforge.express.lockfiles). Refresh them with

    python -m backforge.stacks.express_js.lockfiles

tests/stack/test_lockfiles.py fails when deps.py and the stored lockfiles disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from backforge.express.lockfiles import NODE_ENGINES, LockStore, lock_name
from backforge.stacks.express_js.deps import DEVELOPMENT, RUNTIME, project_dependencies
from backforge.stacks.express_js.layout import MODULES

LOCKFILES = Path(__file__).parent / "lockfiles"
STORE = LockStore(LOCKFILES, MODULES, RUNTIME, DEVELOPMENT, project_dependencies)
OPTIONAL, ALWAYS = STORE.optional, STORE.always

__all__ = ["ALWAYS", "LOCKFILES", "NODE_ENGINES", "OPTIONAL", "STORE", "combinations",
           "lock_name", "lockfile", "refresh"]


def combinations() -> list[tuple[str, ...]]:
    return STORE.combinations()


def _deps(combo: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    return STORE.deps(combo)


def lockfile(manifest: Mapping[str, Any]) -> str | None:
    return STORE.lockfile(manifest)


def refresh(npm: str = "npm") -> list[Path]:
    return STORE.refresh(npm)


if __name__ == "__main__":
    for path in refresh(*sys.argv[1:2]):
        print(path)
