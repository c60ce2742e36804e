"""The JSON Schema of the native spec format, for editors (`backforge schema`).

Built from the pydantic model, with the two liberties the native loader allows
written in: a field `type` may also be a SQL spelling (`VARCHAR(120)`, `serial`)
and an endpoint `method` may be lower case. Editors then complete the documented
names without flagging what `backforge` accepts.
"""

from __future__ import annotations

from typing import Any

from backforge.spec.model import FieldType, Project

__all__ = ["spec_json_schema"]


def spec_json_schema() -> dict[str, Any]:
    schema = Project.model_json_schema(mode="validation")
    defs = schema["$defs"]
    field_type = defs["Field"]["properties"]["type"]
    defs["Field"]["properties"]["type"] = {
        "description": field_type.get("description", ""),
        "anyOf": [{"$ref": "#/$defs/FieldType"},
                  {"type": "string", "description": "a SQL spelling, e.g. VARCHAR(120), "
                                                    "int4, serial, NUMERIC(10,2), jsonb"}]}
    method = defs["Endpoint"]["properties"]["method"]
    upper = method["enum"]
    method["enum"] = [*upper, *(m.lower() for m in upper)]
    defs["FieldType"]["description"] = "the spec's field types: " + ", ".join(FieldType)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
