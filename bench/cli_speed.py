"""Whole-CLI-process timings (issue 17): start-up, fresh runs, unchanged re-runs.

Every figure is the median of `--repeat` rounds; each round runs every case once, in
the same order, so the machine's load at that moment weighs on all of them alike (the
ratios are taken inside one run of this script). Cases: `backforge --version`; for
10, 150 and 500 synthetic tables (bench/synth.py) a fresh `generate` into a new folder
an unchanged re-run into the folder of the first round (the "up to date" answer, from the
stat cache: output/fastpath.py) and `generate --check` of that folder (hashes every file).

Backforge's own modules are byte-compiled first, as an installed wheel ships them (the
editable dev install under PYTHONDONTWRITEBYTECODE=1 compiles ~100 modules from source in
every process, ~0.16 s that no user pays).

Run: .venv/bin/python bench/cli_speed.py [--repeat 3] [--tables 10,150,500]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import synth_spec  # the bench folder is not a package


def _timed(*args: str) -> float:
    # The previous case's written files go to disk now, not on this case's clock (a
    # 500-table run writes ~60 MB; its writeback landed on the next 150-table run).
    os.sync()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "backforge.cli", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _byte_compile() -> None:
    import backforge

    compileall.compile_dir(str(Path(backforge.__file__).parent), quiet=1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tables", default="10,150,500")
    args = ap.parse_args()
    sizes = [int(n) for n in args.tables.split(",")]
    _byte_compile()
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        specs = {}
        for n in sizes:
            specs[n] = Path(tmp) / f"synth{n}.json"
            specs[n].write_text(json.dumps(synth_spec(n)), encoding="utf-8")
        for r in range(args.repeat):
            times.setdefault("version", []).append(_timed("--version"))
            for n in sizes:
                fresh = _timed("generate", str(specs[n]), "-o", f"{tmp}/out{n}-{r}")
                times.setdefault(f"fresh {n}", []).append(fresh)
                noop = _timed("generate", str(specs[n]), "-o", f"{tmp}/out{n}-0")
                times.setdefault(f"noop {n}", []).append(noop)
                check = _timed("generate", str(specs[n]), "-o", f"{tmp}/out{n}-0", "--check")
                times.setdefault(f"check {n}", []).append(check)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"medians of {args.repeat} rounds\n")
    print("| case | median s | ratio |\n|---|---:|---|")
    print(f"| `backforge --version` | {med['version']:.3f} | target <= 0.15 s |")
    for n in sizes:
        print(f"| generate, {n} tables, fresh | {med[f'fresh {n}']:.2f} | |")
        print(f"| generate, {n} tables, unchanged re-run | {med[f'noop {n}']:.2f} | "
              f"{med[f'noop {n}'] / med[f'fresh {n}']:.3f} x fresh (target <= 0.1) |")
        print(f"| generate --check, {n} tables, unchanged | {med[f'check {n}']:.2f} | "
              f"{med[f'check {n}'] / med[f'fresh {n}']:.3f} x fresh |")
    if 150 in sizes and 500 in sizes:
        rounds = [big / small for big, small in zip(times["fresh 500"], times["fresh 150"],
                                                      strict=True)]
        print(f"\n500 / 150 tables, fresh: {med['fresh 500'] / med['fresh 150']:.2f} x "
              "(target <= 3.3, linear); per round: "
              + ", ".join(f"{r:.2f}" for r in rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
