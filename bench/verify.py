"""How long each `backforge verify` step takes for the three examples, cold and warm.

cold: an empty npm cache and no reusable installed tree (everything downloaded);
warm: the same project verified again in a fresh folder (npm cache and the
installed-tree cache filled by the cold run).
Run: .venv/bin/python bench/verify.py   Target: warm taskmanager < 30 s.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from backforge import api
from backforge import plan as planner
from backforge.stacks import get_stack
from backforge.verify.runner import verify_project

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SPECS = ["taskmanager.yaml", "shop.yaml", "blog.project.json"]
STEPS = ["install", "lint", "database", "migrate", "migrate-down-up", "seed", "boot",
         "contract", "shutdown", "tests"]


def _verify(spec: str, tmp: Path, label: str, npm_cache: Path, modules: Path) -> list[str]:
    out = tmp / f"{label}-{spec.split('.')[0]}"
    api.generate(DATA / spec, output=out)
    start = time.perf_counter()
    loaded = api.load(out / ".backforge" / "spec.json")
    stack = get_stack(loaded.project.stack)
    report = verify_project(out, planner.build(loaded.project, stack, loaded.names), stack,
                            npm_cache=npm_cache, modules_cache=modules)
    total = time.perf_counter() - start
    times = {s.name: s.duration for s in report.steps}
    cells = [f"{times[s]:.1f}" if s in times else "-" for s in STEPS]
    return [spec, label, *cells, f"{total:.1f}", "yes" if report.success else "NO"]


def main() -> int:
    print("| spec | cache | " + " | ".join(STEPS) + " | total s | verified |")
    print("|---|---|" + "---:|" * len(STEPS) + "---:|---|")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        npm_cache, modules = tmp / "npm-cache", tmp / "modules"
        for spec in SPECS:
            for label in ("cold", "warm"):
                print("| " + " | ".join(_verify(spec, tmp, label, npm_cache, modules)) + " |",
                      flush=True)
            # the next spec starts cold again: an empty npm cache and tree cache
            for d in (npm_cache, modules):
                shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
