"""The stack's Python pieces on their own: module table, endpoint normalization,
foreign-key ordering, sample values, JS literals."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from jsonschema import Draft202012Validator

from backforge.express.endpoints import custom_endpoints
from backforge.express.jsliteral import js_string, js_value
from backforge.express.testgen import ParentRef, body_for
from backforge.plan import Shared, build
from backforge.rest.schemas import (
    create_schema,
    params_schema,
    replace_schema,
    row_schema,
    update_schema,
)
from backforge.spec.model import Project
from backforge.sql.ddl import fk_order, migration_down, migration_up, seed_sql
from backforge.sql.samples import sample_value
from backforge.sql.values import JSON_VALUE
from backforge.stacks import get_stack
from backforge.stacks.express_js import STACK
from backforge.stacks.express_js.render import openapi_context, project_context
from tests.stack.specs import SPECS, plan_of, project


def test_module_table_matches_the_design() -> None:
    assert get_stack("express-js") is STACK
    table = {m.name: (m.depends_on, m.critical, m.per_table, m.shared, m.option)
             for m in STACK.modules}
    none = Shared.NONE
    assert table == {
        "config": ((), False, False, none, None),
        "docker": ((), False, False, none, "docker"),
        "terraform": ((), False, False, none, "terraform"),
        "utils": ((), False, False, none, None),
        "migrations": ((), True, False, none, None),
        "database": (("utils",), True, False, none, None),
        "models": (("database", "migrations", "utils"), True, True, none, None),
        "middleware": (("utils",), False, False, none, None),
        "auth": (("models", "database", "utils", "middleware"), False, False, none, "auth"),
        "services": (("models", "utils"), True, True, none, None),
        "handlers": (("services", "utils", "middleware"), True, True, none, None),
        "routes": (("handlers", "middleware", "auth"), True, True, Shared.AFTER, None),
        "app": (("routes", "middleware", "auth"), False, False, none, None),
        "tests": (("app",), False, True, Shared.BEFORE, "tests"),
    }


def test_table_units_depend_on_the_same_table_only() -> None:
    plan = plan_of("taskmanager")
    assert set(plan.units["services/tasks"].deps) == {"models/tasks", "utils"}
    assert set(plan.units["routes/tasks"].deps) == {"handlers/tasks", "middleware", "auth"}
    assert "routes/tasks" in plan.units["routes"].deps
    assert "tests" in plan.units["tests/tasks"].deps


def test_reserved_file_stems_are_renamed() -> None:
    plan = plan_of("edge")
    assert plan.units["models/index"].required == ("src/schemas/index-table.js",
                                                   "src/models/index-table.js",
                                                   "src/policies/index-table.js")
    assert plan.units["tests/index"].required == ("tests/index-table.test.js",)


def test_endpoints_are_normalized_and_crud_duplicates_dropped() -> None:
    blog = custom_endpoints(project("blog"))
    assert [(e.method, e.path, e.express_path, e.table, e.name) for e in blog] == [
        ("POST", "/posts/{id}/publish", "/posts/:id/publish", "posts", "publishPost"),
        ("GET", "/search", "/search", None, "getSearch"),
    ]
    tasks = custom_endpoints(project("taskmanager"))
    assert [e.name for e in tasks] == ["completeTask", "getProjectStats"]
    edge = {e.label: e for e in custom_endpoints(project("edge"))}
    assert "GET /user/{id}" not in edge  # the generated read route serves it
    assert edge["POST /user/{userId}/promote"].params == ("userId",)
    assert edge["DELETE /cache/{key}"].table is None


def test_endpoint_spellings_agree() -> None:
    spec = project("taskmanager").model_copy(update={"endpoints": (
        *project("taskmanager").endpoints,
        project("taskmanager").endpoints[0].model_copy(update={"path": "/api/v1/tasks/:id/complete"}),
        project("taskmanager").endpoints[0].model_copy(update={"method": "GET", "path": "/tasks"}),
    )})
    names = [e.label for e in custom_endpoints(spec)]
    assert names == ["POST /tasks/{id}/complete", "GET /projects/{id}/stats"]


def test_foreign_key_order_defers_only_cycle_closing_references() -> None:
    ctx = project_context(plan_of("edge"))
    order = fk_order(ctx)
    names = [t.name for t in order.tables]
    assert names.index("countries") < names.index("index")
    assert names.index("user") < names.index("order")
    assert order.deferred == frozenset({("teams", "lead_id")})
    up = migration_up(ctx)
    assert 'ALTER TABLE "teams" ADD CONSTRAINT "teams_lead_id_fkey"' in up
    assert '"mentor_id" integer CONSTRAINT "user_mentor_id_fkey" REFERENCES "user" ("id")' in up
    assert 'PRIMARY KEY ("country_code", "year")' in up
    down = migration_down(ctx).splitlines()
    assert down[-1] == 'DROP TABLE IF EXISTS "teams";'
    assert 'DROP TABLE IF EXISTS "user" CASCADE;' in down


def test_every_type_maps_to_sql() -> None:
    up = migration_up(project_context(plan_of("edge")))
    for fragment in ('"amount" numeric(8, 3) NOT NULL', '"ratio" double precision',
                     '"big" bigint DEFAULT 9000000000', '"placed_on" date',
                     '"placed_at" timestamptz DEFAULT now()', '"token" uuid',
                     '"meta" jsonb DEFAULT \'{}\'::jsonb',
                     '"id" uuid NOT NULL DEFAULT gen_random_uuid()',
                     '"id" integer GENERATED BY DEFAULT AS IDENTITY',
                     'CHECK ("order" IN (\'low\', \'high\'))',
                     'CHECK (char_length("notes") >= 2 AND char_length("notes") <= 500)',
                     '"select" boolean NOT NULL DEFAULT TRUE'):
        assert fragment in up


@pytest.mark.parametrize("name", SPECS)
def test_sample_bodies_satisfy_the_schemas(name: str) -> None:
    ctx = project_context(plan_of(name))
    for t in ctx.tables:
        # json columns refer to the JsonValue component, as in the OpenAPI document
        components = {"schemas": {"JsonValue": JSON_VALUE}}
        create = Draft202012Validator({**create_schema(t), "components": components})
        for variant in range(12):
            # A parent reference holds a value of the referenced column's type.
            body = {k: sample_value(t.column(k), 0) if isinstance(v, ParentRef) else v
                    for k, v in body_for(ctx, t, variant).items()}
            errors = [e.message for e in create.iter_errors(body)]
            assert errors == [], (t.name, variant, body)
        if t.can_update:
            Draft202012Validator.check_schema(update_schema(t))
            Draft202012Validator.check_schema(replace_schema(t))
        for col in t.writable:
            values = {json.dumps(sample_value(col, v, salt=t.sql)) for v in range(3)}
            if col.unique and col.ref is None:
                assert len(values) == 3, (t.name, col.prop)


def test_seed_rows_reference_existing_parents() -> None:
    seeds = seed_sql(project_context(plan_of("shop")))
    assert "INSERT INTO \"product_categories\"" in seeds
    assert seeds.count("ON CONFLICT DO NOTHING") == len(project("shop").tables)
    assert "setval(pg_get_serial_sequence('\"addresses\"', 'id')" in seeds


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_js_literals_evaluate_to_the_python_values() -> None:
    value = {"plain": "it's \"quoted\" \\ back\nslash", "n": [1, 2.5, -3, None, True],
             "__proto__": "kept as data", "nested": {"ünï": "cödé", "a-b": {}}}
    source = js_value(value, 0)
    out = subprocess.run(["node", "-e", f"process.stdout.write(JSON.stringify({source}))"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == value
    assert js_string("'") == "'\\''"


def test_a_table_without_primary_key_gets_a_generated_id() -> None:
    spec = Project.model_validate({"name": "Keyless", "options": {"tests": False},
                                   "tables": [{"name": "notes", "fields": [
                                       {"name": "body", "type": "text", "required": True}]}]})
    plan = build(spec, STACK)
    ctx = project_context(plan)
    assert [c.prop for c in ctx.table("notes").pk] == ["id"]
    assert '"id" uuid NOT NULL DEFAULT gen_random_uuid()' in migration_up(ctx)
    files = {f.path for u in plan.units.values() for f in STACK.render(u, plan).files}
    assert "src/models/notes.js" in files


@pytest.mark.parametrize("name", SPECS)
def test_create_responses_link_the_new_key_to_every_item_operation(name: str) -> None:
    """The links a client (and schemathesis' stateful phase) follows: the new row's key,
    read from the 201 body, is the path of get, replace, update and delete."""
    ctx = project_context(plan_of(name))
    openapi = openapi_context(ctx)
    for t in ctx.tables:
        ids, links = openapi["crud_ids"][t.name], openapi["links"][t.name]
        kinds = ["get", "replace", "update", "delete"] if t.can_update else ["get", "delete"]
        assert sorted(link["operationId"] for link in links.values()) == \
            sorted(ids[k] for k in kinds)
        path_params = params_schema(t)["properties"]
        row_required = row_schema(t)["required"]
        for link in links.values():
            assert set(link["parameters"]) == set(path_params)
            for param, expression in link["parameters"].items():
                assert expression == f"$response.body#/{param}" and param in row_required
    rendered = "".join(f.content for u in plan_of(name).units.values()
                       if u.module == "routes" for f in STACK.render(u, plan_of(name)).files
                       if f.path == "src/openapi.js")
    assert rendered.count("createLinks: {") == len(ctx.tables)
    assert "links: r.createLinks," in rendered


def test_a_text_key_cannot_be_empty_since_it_is_a_path_segment() -> None:
    """northwind under schemathesis: a row keyed "" was created (201) and then could not
    be addressed (`DELETE /employee-territories/11/` is no route): 404 right after 201."""
    spec = Project.model_validate({"name": "Keys", "options": {"tests": False},
                                   "tables": [{"name": "territories", "fields": [
                                       {"name": "code", "type": "string", "max_length": 20,
                                        "primary_key": True},
                                       {"name": "label", "type": "text"}]}]})
    t = project_context(build(spec, STACK)).table("territories")
    for schema in (create_schema(t), params_schema(t), row_schema(t)):
        assert schema["properties"]["code"]["minLength"] == 1
    assert "minLength" not in create_schema(t)["properties"]["label"]
