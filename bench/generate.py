"""Generation + validation time of the template provider for 4, 8, 10, 50, 150 and 500
tables, and the cost per table between the synthetic sizes (linear: it must not grow).

Run: .venv/bin/python bench/generate.py [--repeat 3] [--write] [--only-synthetic]
Targets (DESIGN.md): 10 tables < 1 s, 150 tables < 10 s on a 2-core machine; issue 17:
500 tables <= 3.3 x the 150-table time; issue 15: express-ts within 1.5 x express-js at
150 tables (the last table; `--stacks-only` prints just that one).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from backforge import api

sys.path.insert(0, str(Path(__file__).parent))
from synth import synth_spec  # the bench folder is not a package

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "specs"


def _cases() -> list[tuple[str, object]]:
    shop = SHARED / "shop.yaml"
    return [("taskmanager (4)", EXAMPLES / "taskmanager.yaml"),
            ("shop (8)", shop if shop.exists() else synth_spec(8)),
            ("synthetic 10", synth_spec(10)), ("synthetic 50", synth_spec(50)),
            ("synthetic 150", synth_spec(150)), ("synthetic 500", synth_spec(500))]


def _once(spec: object, write: bool) -> tuple[float, int, bool]:
    start = time.perf_counter()
    if write:
        with tempfile.TemporaryDirectory() as tmp:
            result = api.generate(spec, output=Path(tmp) / "out")
    else:
        result = api.generate(spec)
    return time.perf_counter() - start, len(result.files), result.success


def _stack_spec(spec: object, stack: str) -> object:
    return api.load(spec, stack=stack)  # type: ignore[arg-type]


def compare_stacks(repeat: int, write: bool, tables: int = 150) -> None:
    """express-ts vs express-js on the same synthetic spec (alternating, medians)."""
    spec = synth_spec(tables)
    loaded = {stack: _stack_spec(spec, stack) for stack in ("express-js", "express-ts")}
    api.generate(_stack_spec(synth_spec(2), "express-ts"))  # warm the TS templates too
    times: dict[str, list[float]] = {stack: [] for stack in loaded}
    files: dict[str, int] = {}
    for _ in range(repeat):
        for stack, one in loaded.items():
            took, count, ok = _once(one, write)
            assert ok, f"{stack} failed at {tables} tables"
            times[stack].append(took)
            files[stack] = count
    js, ts = statistics.median(times["express-js"]), statistics.median(times["express-ts"])
    print(f"\n| stack ({tables} tables) | files | median s | min s |")
    print("|---|---:|---:|---:|")
    for stack, values in times.items():
        print(f"| {stack} | {files[stack]} | {statistics.median(values):.3f} | "
              f"{min(values):.3f} |")
    print(f"express-ts / express-js: {ts / js:.2f} x (target <= 1.5)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="also write the files to disk")
    ap.add_argument("--only-synthetic", action="store_true", help="skip the example specs")
    ap.add_argument("--stacks-only", action="store_true",
                    help="only express-ts vs express-js at 150 tables")
    args = ap.parse_args()
    api.generate(synth_spec(2))  # imports and caches warm, as in any run but the first
    if args.stacks_only:
        compare_stacks(args.repeat, args.write)
        return 0
    print("| spec | files | success | median s | min s | target |")
    print("|---|---:|---|---:|---:|---|")
    medians: dict[int, float] = {}
    for label, spec in _cases():
        if args.only_synthetic and not label.startswith("synthetic"):
            continue
        runs = [_once(spec, args.write) for _ in range(args.repeat)]
        times = [r[0] for r in runs]
        target = {"synthetic 10": "< 1 s", "synthetic 150": "< 10 s",
                  "synthetic 500": "<= 3.3 x 150"}.get(label, "")
        if label.startswith("synthetic"):
            medians[int(label.split()[1])] = statistics.median(times)
        print(f"| {label} | {runs[0][1]} | {all(r[2] for r in runs)} | "
              f"{statistics.median(times):.3f} | {min(times):.3f} | {target} |")
    sizes = sorted(medians)
    for small, large in itertools.pairwise(sizes):
        per = (medians[large] - medians[small]) / (large - small) * 1000
        print(f"\nper table {small} -> {large}: {per:.1f} ms", end="")
    if 150 in medians and 500 in medians:
        print(f"\n500 / 150 tables: {medians[500] / medians[150]:.2f} x (target <= 3.3)")
    compare_stacks(args.repeat, args.write)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
