"""TypeScript types of a table, derived from the same column model as everything else:
the row's JSON Schema (backforge.rest.schemas, built from backforge.sql.columns) turned
into an interface, so the type a model returns and what the API documents and checks
cannot disagree."""

from __future__ import annotations

import json
from typing import Any

from backforge.express.context import ProjectContext, TableContext
from backforge.express.jsliteral import js_key
from backforge.rest import schemas

_SCALARS = {"string": "string", "integer": "number", "number": "number",
            "boolean": "boolean", "null": "null", "array": "unknown[]",
            "object": "Record<string, unknown>"}


def ts_type(schema: dict[str, Any]) -> str:
    """The TypeScript type of values a JSON Schema admits (as far as a type can say)."""
    kinds = schema.get("type")
    listed = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if "enum" in schema:
        literals = [json.dumps(v, ensure_ascii=False) for v in schema["enum"]]
        if "null" in listed and "null" not in literals:
            literals.append("null")
        return " | ".join(literals)
    if not listed:
        return "unknown"  # a json column: any JSON value
    return " | ".join(dict.fromkeys(_SCALARS.get(k, "unknown") for k in listed))


def row_interface(ctx: ProjectContext, t: TableContext, name: str) -> str:
    """`export type <name> = { ... }`: one row as the API returns it."""
    row = schemas.table_schemas(ctx, t)["row"]
    required = set(row.get("required", ()))
    lines = [f"export type {name} = {{"]
    for prop, schema in row["properties"].items():
        optional = "" if prop in required else "?"
        lines.append(f"  {js_key(prop)}{optional}: {ts_type(schema)};")
    lines.append("};")
    return "\n".join(lines)
