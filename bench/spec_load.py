"""Benchmark (not a test): load a generated 150-table spec. Run: .venv/bin/python bench/spec_load.py"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

from backforge.spec import load


def generated(n_tables: int = 150) -> dict:
    tables = []
    for i in range(n_tables):
        fields = [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": f"Title {i}", "type": "VARCHAR(120)", "required": True},
            {"name": "body", "type": "text"},
            {"name": "amount", "type": "numeric(10,2)", "min": 0},
            {"name": "count", "type": "int", "default": 0},
            {"name": "state", "type": "enum", "values": ["a", "b", "c"], "default": "a"},
            {"name": "createdOn", "type": "timestamptz"},
        ]
        if i:
            fields.append({"name": f"parent{i - 1}Id", "type": "uuid", "required": True,
                           "references": f"table_{i - 1}.id", "on_delete": "cascade"})
        tables.append({"name": f"table_{i}", "timestamps": True, "fields": fields})
    endpoints = [{"method": "POST", "path": f"/table-{i}/{{id}}/run", "table": f"table_{i}"}
                 for i in range(n_tables)]
    return {"name": "Bench", "tables": tables, "endpoints": endpoints}


def best_of(fn, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    spec = generated(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
    with tempfile.TemporaryDirectory() as tmp:
        as_yaml = Path(tmp) / "bench.yaml"
        as_json = Path(tmp) / "bench.json"
        as_yaml.write_text(yaml.safe_dump(spec))
        as_json.write_text(json.dumps(spec))
        print(f"tables={len(spec['tables'])} fields={sum(len(t['fields']) for t in spec['tables'])}")
        print(f"load(dict)  {best_of(lambda: load(spec)):7.1f} ms")
        print(f"load(.json) {best_of(lambda: load(as_json)):7.1f} ms")
        print(f"load(.yaml) {best_of(lambda: load(as_yaml), 5):7.1f} ms")


if __name__ == "__main__":
    main()
