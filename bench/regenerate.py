"""Incremental regeneration of a 50-table synthetic project (bench/synth.py).

Scenarios, each with the template provider and with the openai provider against the
fake OpenAI-compatible server (response cache off, so every call reaches the server):
a full first generation, an unchanged regeneration (must write no project file and
make zero provider calls), adding one table (only the units that depend on it run),
and a full generation of the new spec into a fresh folder for comparison.

Run: .venv/bin/python bench/regenerate.py [--tables 50]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from backforge import api
from backforge.providers.fake_server import FakeLLMServer

sys.path.insert(0, str(Path(__file__).parent))
from synth import synth_spec  # the bench folder is not a package


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*")
            if p.is_file() and ".backforge" not in p.relative_to(root).parts}


def _with_table(spec: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(spec)
    new["tables"].append({"name": "audit_note", "timestamps": True, "fields": [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "entity_id", "type": "uuid", "references": "entity_000.id",
         "on_delete": "cascade"},
        {"name": "body", "type": "text", "required": True}]})
    return new


def _run(spec, root: Path, options: api.GenerateOptions, server: FakeLLMServer | None
         ) -> dict[str, Any]:
    before = _mtimes(root) if root.exists() else {}
    requests = server.stats.requests if server else 0
    start = time.perf_counter()
    result = api.generate(spec, options, output=root)
    seconds = time.perf_counter() - start
    after = _mtimes(root)
    regen = result.report.get("regeneration") or {}
    units = len(result.report["units"])
    return {"ok": result.success, "seconds": seconds, "units": units,
            "regenerated": regen.get("units_regenerated", units),
            "replayed": regen.get("units_replayed", 0),
            "calls": (server.stats.requests - requests) if server else regen.get(
                "provider_calls", units),
            "writes": sum(1 for p, t in after.items() if before.get(p) != t)}


def _scenarios(spec, bigger, tmp: Path, options: api.GenerateOptions,
               server: FakeLLMServer | None) -> list[tuple[str, dict[str, Any]]]:
    root = tmp / "project"
    return [("full first run", _run(spec, root, options, server)),
            ("unchanged regeneration", _run(spec, root, options, server)),
            ("add one table", _run(bigger, root, options, server)),
            ("full run, new spec", _run(bigger, tmp / "fresh", options, server))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tables", type=int, default=50)
    args = ap.parse_args()
    spec = synth_spec(args.tables)
    bigger = _with_table(spec)
    os.environ.setdefault("OPENAI_API_KEY", "fake-key")
    print(f"| provider | scenario ({args.tables} tables) | ok | units | regenerated | "
          "replayed | provider calls | project files written | s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    rows: list[tuple[str, str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        template = api.GenerateOptions()
        rows += [("template", n, r) for n, r in
                 _scenarios(spec, bigger, Path(tmp) / "t", template, None)]
        fake = FakeLLMServer()
        url = fake.start()
        try:
            llm = api.GenerateOptions(provider="openai", base_url=url, model="fake-model",
                                      cache=False, concurrency=8)
            rows += [("openai (fake)", n, r) for n, r in
                     _scenarios(spec, bigger, Path(tmp) / "o", llm, fake)]
        finally:
            fake.stop()
    for provider, name, r in rows:
        print(f"| {provider} | {name} | {r['ok']} | {r['units']} | {r['regenerated']} | "
              f"{r['replayed']} | {r['calls']} | {r['writes']} | {r['seconds']:.2f} |")
    unchanged = [r for _, n, r in rows if n == "unchanged regeneration"]
    ok = all(r["ok"] for _, _, r in rows) and all(r["calls"] == 0 and r["writes"] == 0
                                                  for r in unchanged)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
