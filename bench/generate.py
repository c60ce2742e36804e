"""Generation + validation time of the template provider for 4, 8, 10, 50 and 150 tables.

Run: .venv/bin/python bench/generate.py [--repeat 3] [--write]
Targets (DESIGN.md): 10 tables < 1 s, 150 tables < 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
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
            ("synthetic 150", synth_spec(150))]


def _once(spec: object, write: bool) -> tuple[float, int, bool]:
    start = time.perf_counter()
    if write:
        with tempfile.TemporaryDirectory() as tmp:
            result = api.generate(spec, output=Path(tmp) / "out")
    else:
        result = api.generate(spec)
    return time.perf_counter() - start, len(result.files), result.success


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="also write the files to disk")
    args = ap.parse_args()
    print("| spec | files | success | median s | min s | target |")
    print("|---|---:|---|---:|---:|---|")
    for label, spec in _cases():
        runs = [_once(spec, args.write) for _ in range(args.repeat)]
        times = [r[0] for r in runs]
        target = "< 1 s" if "10" in label and "150" not in label else (
            "< 10 s" if "150" in label else "")
        print(f"| {label} | {runs[0][1]} | {all(r[2] for r in runs)} | "
              f"{statistics.median(times):.3f} | {min(times):.3f} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
