"""verify/fuzz.py without running anything: what schemathesis is given, and the
message when schemathesis is missing."""

from __future__ import annotations

import pytest

from backforge.verify import fuzz


def test_fuzz_document_leaves_out_declared_501_and_cursor() -> None:
    doc = {"paths": {
        "/tasks": {"get": {"parameters": [{"in": "query", "name": "cursor"},
                                          {"in": "query", "name": "limit"}],
                           "responses": {"200": {}}}},
        "/tasks/{id}/complete": {"post": {"responses": {"200": {}, "501": {}}}},
    }}
    out, left = fuzz.fuzz_document(doc)
    assert left == ("POST /tasks/{id}/complete",)
    assert list(out["paths"]) == ["/tasks"]
    assert out["paths"]["/tasks"]["get"]["parameters"] == [{"in": "query", "name": "limit"}]
    assert len(doc["paths"]["/tasks"]["get"]["parameters"]) == 2  # the input is untouched


def test_missing_schemathesis_is_a_clear_input_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(fuzz.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(fuzz.shutil, "which", lambda name: None)
    with pytest.raises(fuzz.SchemathesisMissing) as err:
        fuzz.schemathesis_command()
    assert err.value.exit_code == 2 and "backforge[fuzz]" in str(err.value)


def test_schemathesis_reads_the_config_as_declared_links_only() -> None:
    """The settings fuzz_app writes are valid for the installed schemathesis (it rejects an
    unknown key) and mean what the module says: no inferred links, NUL generated."""
    config = pytest.importorskip("schemathesis.config").SchemathesisConfig
    project = config.from_str(fuzz._CONFIG).projects.default
    assert project.phases.stateful.inference.algorithms == []
    assert project.generation.allow_x00 is True
    assert "413" in project.checks.negative_data_rejection.expected_statuses


def test_the_fuzz_account_registers_with_the_users_tables_required_fields() -> None:
    """Accounts are users rows: register takes the table's required fields, whatever the
    spec calls them; the body is built from the served document."""
    doc = {"paths": {"/auth/register": {"post": {"requestBody": {"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}}}}},
        "components": {"schemas": {"Credentials": {
            "type": "object", "required": ["email", "display_name", "born", "level",
                                           "kind", "password"],
            "properties": {"email": {"type": "string", "format": "email"},
                           "display_name": {"type": "string", "minLength": 6},
                           "born": {"type": "string", "format": "date"},
                           "level": {"type": "integer", "minimum": 3},
                           "kind": {"$ref": "#/components/schemas/Kind"},
                           "nickname": {"type": "string"}}},
            "Kind": {"type": "string", "enum": ["a", "b"]}}}}
    assert fuzz.register_body(doc, "/api/v1") == {
        "email": "fuzz@example.com", "display_name": "fuzzxx", "born": "2024-01-15",
        "level": 3, "kind": "a", "password": "fuzz passphrase 123"}

