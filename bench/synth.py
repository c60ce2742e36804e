"""Synthesize realistic specs of any size for benchmarks (deterministic per size)."""

from __future__ import annotations

import random
from typing import Any

_TYPES = [
    {"type": "string", "max_length": 120}, {"type": "text"}, {"type": "integer", "min": 0},
    {"type": "bigint"}, {"type": "decimal", "precision": 10, "scale": 2}, {"type": "float"},
    {"type": "boolean", "default": False}, {"type": "date"}, {"type": "datetime"},
    {"type": "uuid"}, {"type": "json"}, {"type": "enum", "values": ["draft", "active", "archived"]},
]


def synth_spec(n_tables: int, *, seed: int = 7, auth: bool = True) -> dict[str, Any]:
    """A spec with n tables, 6-10 fields each, foreign keys to earlier tables."""
    rng = random.Random(seed)
    tables = []
    for i in range(n_tables):
        fields: list[dict[str, Any]] = [{"name": "id", "type": "uuid", "primary_key": True}]
        fields.append({"name": "name", "type": "string", "max_length": 100, "required": True,
                       "unique": i % 3 == 0})
        for j in range(rng.randint(4, 8)):
            f = {"name": f"attr_{j}", **rng.choice(_TYPES)}
            f["required"] = rng.random() < 0.3 and f["type"] != "uuid"
            fields.append(f)
        for k in range(min(i, rng.randint(0, 2))):
            parent = rng.randrange(i)
            fields.append({"name": f"ref_{k}_id", "type": "uuid",
                           "references": f"entity_{parent:03d}.id",
                           "on_delete": rng.choice(["cascade", "set_null", "restrict"])})
        tables.append({"name": f"entity_{i:03d}", "timestamps": True, "fields": fields})
    spec = {"name": f"Synthetic {n_tables}", "stack": "express-js",
            "options": {"auth": auth, "tests": True, "docker": True, "terraform": True},
            "tables": tables}
    if auth:  # accounts are rows of a table with a unique login: the first entity
        tables[0]["fields"].append({"name": "email", "type": "string", "max_length": 255,
                                    "required": True, "unique": True})
        spec["access"] = {"users": {"table": tables[0]["name"]}}
    return spec
