"""Response bodies are judged against the OpenAPI document (fast, no server)."""

from backforge.verify.openapi import ResponseSchemas

DOC = {
    "openapi": "3.1.0",
    "paths": {
        "/tasks/{id}": {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Task"}}}},
            "404": {"$ref": "#/components/responses/Error"}}}},
        "/tasks/stats": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": "object", "required": ["count"]}}}}}}},
        "/tasks/{id}/x": {"delete": {"responses": {"204": {"description": "gone"}}}},
    },
    "components": {
        "schemas": {
            "Task": {"type": "object", "required": ["id", "title"], "properties": {
                "id": {"type": "string"}, "title": {"type": "string", "maxLength": 5}}},
            "Error": {"type": "object", "required": ["error"]},
        },
        "responses": {"Error": {"content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/Error"}}}}},
    },
}


def test_matching_body_has_no_problems() -> None:
    s = ResponseSchemas(DOC, "/api/v1")
    assert s.problems("GET", "/api/v1/tasks/abc", 200, {"id": "abc", "title": "ok"}) == []
    assert s.problems("GET", "/api/v1/tasks/abc", 404, {"error": {}}) == []
    assert s.problems("DELETE", "/api/v1/tasks/1/x", 204, None) == []


def test_mismatches_are_named() -> None:
    s = ResponseSchemas(DOC, "/api/v1")
    assert s.problems("GET", "/api/v1/tasks/abc", 200, {"id": "abc"}) == [
        "(body): 'title' is a required property"]
    assert s.problems("GET", "/api/v1/tasks/abc", 200, {"id": "a", "title": "too long"}) == [
        "title: 'too long' is too long"]
    assert s.problems("GET", "/api/v1/tasks/abc", 500, {}) == [
        "status 500 is not documented for GET /api/v1/tasks/abc"]
    assert s.problems("POST", "/api/v1/tasks/abc", 201, {}) == [
        "POST /api/v1/tasks/abc is not in the OpenAPI document"]
    assert s.problems("DELETE", "/api/v1/tasks/1/x", 204, {"a": 1}) == [
        "204 documents no body but one came"]


def test_literal_segment_beats_parameter() -> None:
    s = ResponseSchemas(DOC, "")
    assert s.problems("GET", "/tasks/stats?x=1", 200, {"count": 1}) == []
    assert s.problems("GET", "/tasks/stats", 200, {}) == ["(body): 'count' is a required property"]
