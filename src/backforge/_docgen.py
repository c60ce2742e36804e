"""The generated pages of the documentation site: the spec reference and the CLI reference.

`docs/hooks.py` (a MkDocs hook) calls `pages()` at build time, so the site always
matches the code: the spec reference walks the pydantic model (every field with
its type, default, constraints and description) and shows real importer output
for the other input formats; the CLI reference walks the argparse parser.
Nothing here is committed as Markdown, so nothing can go stale.
"""

from __future__ import annotations

import argparse
import json
import types
import typing
from enum import Enum
from typing import Any

from annotated_types import Ge, Gt, Le, MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from backforge import api
from backforge.cli import _parser
from backforge.spec import access as spec_access
from backforge.spec import model as spec_model
from backforge.spec.load import load, load_converted
from backforge.spec.loaders import TEXT_LOADERS
from backforge.spec.loaders.dump import to_yaml
from backforge.spec.types import _SPELLINGS, Args

__all__ = ["EXAMPLES", "MODELS", "cli_reference", "pages", "spec_reference"]

# In the order a reader meets them in a file.
MODELS: tuple[type[BaseModel], ...] = (
    spec_model.Project, spec_model.Database, spec_model.Options, spec_model.Table,
    spec_model.Field, spec_model.Index, spec_model.ForeignKey, spec_model.Endpoint,
    spec_access.Access, spec_access.Accounts, spec_access.TableAccess)

# One example per section; tests/docs checks that each one validates.
EXAMPLES: dict[str, str] = {
    "Project": """\
name: Task Manager
description: Team task tracking API.
stack: express-js
database: {engine: postgresql, name: task_manager}
options: {auth: true, tests: true, docker: true, terraform: false, api_prefix: /api/v1}
tables:
  - name: users
    fields:
      - {name: id, type: uuid, primary_key: true}
      - {name: email, type: string, max_length: 254, required: true, unique: true}
  - name: tasks
    fields:
      - {name: id, type: uuid, primary_key: true}
      - {name: owner_id, type: uuid, required: true, references: users.id}
      - {name: title, type: string, max_length: 200, required: true}
endpoints:
  - {method: POST, path: "/tasks/{id}/complete", table: tasks, summary: Mark done, auth: true}
""",
    "Database": """\
engine: postgresql
name: shop
extensions: [pg_trgm, citext]
""",
    "Options": """\
auth: true          # JWT: register, login; writes need a token
tests: true         # jest + supertest per table
docker: true        # Dockerfile + docker-compose.yml
terraform: false    # AWS: VPC, RDS, ECR, ECS
api_prefix: /api/v1
""",
    "Table": """\
name: order_items
description: One product line of an order.
timestamps: true
fields:
  - {name: order_id, type: bigint, primary_key: true}
  - {name: line, type: integer, primary_key: true}
  - {name: sku, type: string, max_length: 40, required: true}
  - {name: quantity, type: integer, required: true, min: 1}
  - {name: warehouse, type: string, max_length: 8}
  - {name: bin, type: integer}
unique:
  - [order_id, sku]
indexes:
  - {fields: [sku], using: btree}
  - {name: order_items_open_idx, fields: [order_id], where: "quantity > 0"}
checks:
  - "quantity <= 1000"
foreign_keys: []
""",
    "Field": """\
- {name: id, type: bigint, primary_key: true, auto_increment: true}
- {name: email, type: string, max_length: 255, required: true, unique: true}
- {name: price, type: decimal, precision: 10, scale: 2, min: 0, required: true}
- {name: status, type: enum, values: [draft, paid, shipped], default: draft, required: true}
- {name: customer_id, type: bigint, references: customers.id, on_delete: cascade}
- {name: search, type: text, db_type: tsvector, description: Full-text search vector}
""",
    "Index": """\
- {fields: [customer_id, created_at]}
- {name: products_name_trgm, fields: [name], using: gin}
- {fields: [email], unique: true, where: "deleted_at IS NULL"}
""",
    "ForeignKey": """\
- name: shipments_order_line_fkey
  fields: [order_id, line]
  references: order_items
  ref_fields: [order_id, line]
  on_delete: cascade
""",
    "Access": """\
users: {table: users, login: email, roles: [member, admin], admin: admin}
tables:
  tasks: {owner: owner_id, delete: [admin]}
""",
    "Accounts": """\
table: users
login: email
role_field: role
roles: [member, editor, admin]
admin: admin
default_role: member
""",
    "TableAccess": """\
owner: project_id            # tasks -> projects.owner_id -> users
list: owner                  # callers list their own rows; admin lists all
read: authenticated
update: [owner, editor]
delete: [admin]
fields: {status: admin_only, slug: read_only}
""",
    "Endpoint": """\
- {method: POST, path: "/tasks/{id}/complete", table: tasks, summary: Mark a task done, auth: true}
- {method: GET, path: "/projects/{id}/stats", table: projects, name: projectStats}
""",
}

# Rules that involve several keys (the model's validators and checks.py), in words.
RULES: dict[str, tuple[str, ...]] = {
    "Project": (
        ("At least one table; table names are unique, also after each stack derives its "
        "SQL name (`Order Items` and `order_items` collide)."),
        "Required foreign keys must not form a cycle (no row could be inserted first).",
        "Custom endpoints are unique by method and path; `table` must name a table.",
    ),
    "Table": (
        "At least one field; field names are unique, also after sanitizing.",
        "`unique`, `indexes` and `foreign_keys` name fields of this table, each once.",
        ("No primary key: an auto-increment field becomes the key, else a field named `id`, "
        "else an `id` bigint identity is added (the report says which)."),
        "`timestamps` adds created_at and updated_at: the table must not have them already.",
    ),
    "Field": (
        "`enum` needs `values`; `values` only with `enum`, without duplicates.",
        "`auto_increment` needs type integer or bigint.",
        "`scale` <= `precision`; `min` <= `max`.",
        ("`references` looks like `table.field`; the target exists, is the primary key or "
        "unique, and has the same type. `on_delete` needs `references`; `set_null` needs a "
        "field that is not `required`."),
        "A `default` must fit the type (and be one of `values` for an enum).",
    ),
    "ForeignKey": (("`ref_fields` has as many names as `fields`; the target table and its "
                   "fields exist."),),
    "Endpoint": (("`path` is a URL path below `options.api_prefix` (a path that repeats the "
                 "prefix is stored without it); `{name}` segments are path parameters."),),
}


def pages() -> dict[str, str]:
    """Site path -> Markdown of every generated page."""
    return {"reference/spec.md": spec_reference(), "reference/cli.md": cli_reference()}


# --- the spec reference ---------------------------------------------------------------

def spec_reference() -> str:
    out = [
        "# Spec reference",
        "",
        ("*Generated from `src/backforge/spec/model.py` when the site is built: every key "
        "below is exactly what the loader accepts.*"),
        "",
        ("A spec describes one backend: its tables (fields, keys, indexes, checks), custom "
        "endpoints and options. backforge reads it as native YAML or JSON (this page), as "
        "the [design tool's JSON project](#design-tool-json-project), as "
        "[SQL DDL](#sql-ddl) (`.sql`, `.ddl`: PostgreSQL, MySQL or SQLite) or as "
        "[DBML](#dbml) (`.dbml`). `backforge import FILE -o spec.yaml` turns any of them "
        "into native YAML to edit. Unknown keys are errors (with a *did you mean*), so a "
        "typo never passes silently."),
        "",
        ("**Editor support**: `backforge schema` prints the JSON Schema of this format "
        "(committed as `schema/backforge-spec.schema.json`). Put "
        "`# yaml-language-server: $schema=PATH/TO/backforge-spec.schema.json` on the first "
        "line of a spec and editors with the YAML language server (VS Code's YAML "
        "extension, Neovim, JetBrains) complete and check keys as you type."),
        "",
        "A complete example is `examples/taskmanager.yaml` in the repository.",
        "",
    ]
    for model in MODELS:
        out += _model_section(model)
    out += _types_section()
    out += _enum_section(spec_model.OnDelete, "on_delete values",
                         "What deleting a referenced row does to the rows that point at it.")
    out += _formats_section()
    return "\n".join(out) + "\n"


def _model_section(model: type[BaseModel]) -> list[str]:
    name = model.__name__
    where = {"Project": "the top level of the file", "Database": "`database:`",
             "Options": "`options:`", "Table": "each item of `tables:`",
             "Field": "each item of a table's `fields:`",
             "Index": "each item of a table's `indexes:`",
             "ForeignKey": "each item of a table's `foreign_keys:`",
             "Endpoint": "each item of `endpoints:`", "Access": "`access:`",
             "Accounts": "`access.users:`",
             "TableAccess": "each value of `access.tables:` (keyed by table name)"}[name]
    doc = " ".join((model.__doc__ or "").split())
    out = [f"## {name}", "", f"{doc} Written as {where}." if name != "Project" else doc, "",
           "| key | type | default | constraints | description |",
           "| --- | --- | --- | --- | --- |"]
    for key, info in model.model_fields.items():
        out.append(f"| `{key}` | {_type_text(info.annotation)} | {_default_text(info)} | "
                   f"{_constraints(info)} | {_cell(info.description or '')} |")
    rules = RULES.get(name)
    if rules:
        out += ["", "Rules:", ""] + [f"- {rule}" for rule in rules]
    out += ["", "```yaml", EXAMPLES[name].rstrip(), "```", ""]
    return out


def _type_text(annotation: Any) -> str:
    return _cell(_type_name(annotation))


def _type_name(t: Any) -> str:
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names)
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in args)
    if isinstance(t, type) and issubclass(t, Enum):
        anchor = "field-types" if t is spec_model.FieldType else "on_delete-values"
        return f"[{t.__name__}](#{anchor})"
    if isinstance(t, type) and issubclass(t, BaseModel):
        return f"[{t.__name__}](#{t.__name__.lower()})"
    return {str: "text", int: "integer", float: "number", bool: "boolean"}.get(
        t, getattr(t, "__name__", str(t)))


def _default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    value = info.default
    if value is PydanticUndefined or value is None:
        return "–"
    if isinstance(value, BaseModel):
        return "all defaults"
    if isinstance(value, tuple):
        return "`[]`" if not value else f"`{list(value)}`"
    if isinstance(value, Enum):
        value = value.value
    return f"`{json.dumps(value)}`"


def _constraints(info: FieldInfo) -> str:
    words = []
    for meta in info.metadata:
        if isinstance(meta, Gt):
            words.append(f"> {meta.gt}")
        elif isinstance(meta, Ge):
            words.append(f">= {meta.ge}")
        elif isinstance(meta, Le):
            words.append(f"<= {meta.le}")
        elif isinstance(meta, MinLen):
            words.append(f"at least {meta.min_length} item{'s' if meta.min_length > 1 else ''}"
                         if typing.get_origin(info.annotation) is tuple
                         else f"at least {meta.min_length} character")
        elif isinstance(meta, MaxLen):
            words.append(f"at most {meta.max_length}")
    return _cell(", ".join(words)) or "–"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _types_section() -> list[str]:
    by_type: dict[spec_model.FieldType, list[str]] = {}
    args: dict[spec_model.FieldType, set[Args]] = {}
    for spelling, (ftype, auto, kind) in _SPELLINGS.items():
        by_type.setdefault(ftype, []).append(f"`{spelling}`" + (" (auto increment)"
                                                                 if auto else ""))
        args.setdefault(ftype, set()).add(kind)
    meaning = {Args.LENGTH: "`(n)` sets `max_length`",
               Args.PRECISION: "`(p[,s])` sets `precision`, `scale`",
               Args.VALUES: "`('a','b')` sets `values`",
               Args.IGNORED: "`(n)` accepted and ignored (display width)"}
    out = ["## Field types", "",
           ("The `type` of a field. Every loader also accepts the SQL spellings listed here, "
           "case-insensitively (`VARCHAR(120)` is `type: string, max_length: 120`)."), "",
           "| type | also accepted | arguments in parentheses |", "| --- | --- | --- |"]
    for ftype in spec_model.FieldType:
        spelled = [s for s in by_type.get(ftype, []) if s != f"`{ftype.value}`"]
        arg = "; ".join(meaning[a] for a in sorted(args.get(ftype, ()), key=lambda a: a.value)
                        if a in meaning) or "–"
        out.append(f"| `{ftype.value}` | {_cell(', '.join(spelled)) or '–'} | {arg} |")
    out += ["", ("What each type becomes in the express-js stack (the generated migration of a "
            "table with one field per type; generated when this page was built):"), "",
            "```sql", _every_type_migration(), "```", ""]
    return out


def _every_type_migration() -> str:
    fields: list[dict[str, Any]] = [{"name": "id", "type": "bigint", "primary_key": True,
                                     "auto_increment": True}]
    extra = {"string": {"max_length": 80}, "decimal": {"precision": 10, "scale": 2},
             "enum": {"values": ["a", "b"]}}
    fields += [{"name": f"a_{t.value}", "type": t.value, **extra.get(t.value, {})}
               for t in spec_model.FieldType]
    spec = {"name": "types", "options": {"tests": False, "docker": False},
            "tables": [{"name": "samples", "fields": fields}]}
    files = api.generate(spec).files
    sql = files["migrations/0001_initial.up.sql"]
    start = sql.index("CREATE TABLE")
    return sql[start:sql.index(");", start) + 2]


def _enum_section(enum: type[Enum], title: str, text: str) -> list[str]:
    anchor_title = title
    return [f"## {anchor_title}", "", text, "",
            ", ".join(f"`{m.value}`" for m in enum), ""]


# --- other input formats: real importer output --------------------------------------------

_SQL_SAMPLE = """\
CREATE TYPE status AS ENUM ('todo', 'done');
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  score smallint CHECK (score BETWEEN 0 AND 100),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title text NOT NULL,
  state status NOT NULL DEFAULT 'todo',
  tags text[],
  price numeric(8,2)
);
CREATE INDEX tasks_title_idx ON tasks (lower(title));
"""

_DBML_SAMPLE = """\
Table users {
  id integer [pk, increment]
  email varchar(255) [not null, unique]
}
Table posts {
  id integer [pk, increment]
  author_id integer [not null, ref: > users.id]
  body text [note: 'Markdown']
  Indexes { author_id }
}
"""

_DESIGNTOOL_SAMPLE: dict[str, Any] = {
    "name": "Blog", "database": {"type": "postgresql"},
    "schema": [
        {"id": "t1", "name": "authors", "fields": [
            {"name": "id", "type": "uuid", "unique": True, "required": True},
            {"name": "name", "type": "VARCHAR(100)", "nullable": False},
            {"name": "email", "type": "VARCHAR(254)", "unique": True, "required": True}]},
        {"id": "t2", "name": "posts", "fields": [
            {"name": "id", "type": "uuid", "unique": True, "required": True},
            {"name": "author_id", "type": "uuid", "references": "authors.id",
             "onDelete": "CASCADE"},
            {"name": "views", "type": "integer", "default": "0"}]}],
    "endpoints": [{"method": "post", "path": "/api/v1/posts/:id/publish",
                   "description": "Publish a post", "auth": True}],
    "diagrams": {"apiMap": {"nodes": [{"type": "api-service", "data": {"metadata": {
        "endpoints": [{"method": "GET", "path": "/api/v1/authors/{id}/stats",
                       "group": "authors"}]}}}]}},
    "decisions": [],
}


def _imported(fmt: str, text: str, name: str) -> str:
    reader = TEXT_LOADERS[fmt]
    loaded = load_converted(reader.convert_text(text, name), name, reader.name)
    return to_yaml(loaded.project, loaded.notes, name)


def _formats_section() -> list[str]:
    tool = load(_DESIGNTOOL_SAMPLE)
    return [
        "## Design tool JSON project", "",
        ("The visual design tool's export is detected by its top-level `schema` list (tables) "
        "and read as follows; everything else it stores (ids, positions, status, "
        "`decisions`) is ignored and listed in one note."), "",
        "| design tool | native spec |", "| --- | --- |",
        "| `schema[]` | `tables[]` (`name`, `description`, `timestamps`) |",
        "| field `primary`, `primaryKey`, `isPrimary`, `pk` | `primary_key` |",
        ("| a field `id` marked `unique` + `required`, when no key is marked | "
        "`primary_key: true` |"),
        "| `autoIncrement` | `auto_increment` |",
        "| `maxLength`, `length` | `max_length` |",
        "| `enum`, `enumValues` | `values` |",
        "| `nullable: false` | `required: true` |",
        "| `references: \"t.f\"` or `{table, field}` | `references: t.f` |",
        "| `onDelete: \"SET NULL\"` | `on_delete: set_null` |",
        ("| `default: \"0\"`, `\"true\"` (always text there) | a number or boolean by the "
        "field's type |"),
        "| `database.type` (`postgres`, `pg`, `postgresql`) | `database.engine` |",
        ("| `endpoints[]` and `diagrams.apiMap.nodes[type=api-service]"
        ".data.metadata.endpoints[]` | `endpoints[]` (duplicates of the first list skipped) |"),
        ("| endpoint `description` / `summary`, `auth` / `requiresAuth`, `group` | `summary`, "
        "`auth`, `table` (else the table named by the path's first segment) |"),
        "| the common path prefix (`/api/v1`) | `options.api_prefix`, stripped from paths |",
        "| any endpoint with `auth` | `options.auth: true` |", "",
        "Errors name the tool's own places (`schema[0].fields[1].type`). This export:", "",
        "```json", json.dumps(_DESIGNTOOL_SAMPLE, indent=2), "```", "",
        "is read as (`backforge import` output):", "",
        "```yaml", to_yaml(tool.project, tool.notes, "blog.project.json").rstrip(), "```", "",
        "## SQL DDL", "",
        ("`.sql` and `.ddl` files are parsed statement by statement with sqlglot, in the "
        "PostgreSQL, MySQL or SQLite dialect (from the file name, `x.mysql.sql`, from "
        "`--from postgres|mysql|sqlite`, or guessed from the syntax). Single-column keys "
        "become field flags (`primary_key`, `unique`, `references`), the rest the table "
        "lists (`unique`, `indexes`, `checks`, `foreign_keys`); a CHECK that is a range "
        "becomes `min`/`max`, one that enumerates values an `enum`; `serial`/identity "
        "columns become `auto_increment`; a database type that differs from the spec type's "
        "default (`smallint`) or has no spec equivalent (`text[]`, `tsvector`, PostGIS "
        "types) is kept in `db_type` and migrated verbatim. Anything the spec cannot hold "
        "(functions, triggers, views, expression indexes, other defaults) is named in a note "
        "at the top of the imported YAML. A live PostgreSQL is read the same way with "
        "`--from-db postgresql://...` (needs the `db` extra)."), "",
        "```sql", _SQL_SAMPLE.rstrip(), "```", "",
        "is imported as:", "",
        "```yaml", _imported("postgres", _SQL_SAMPLE, "schema.sql").rstrip(), "```", "",
        "## DBML", "",
        ("`.dbml` files (dbdiagram.io) are read with pydbml: tables, column settings (`pk`, "
        "`not null`, `unique`, `default`, `increment`, `note`), enums, indexes and every "
        "form of `Ref` (inline, short, long, composite, one-to-one, and many-to-many `<>` as "
        "a junction table). Column types are SQL spellings, read as in SQL DDL."), "",
        "```text", _DBML_SAMPLE.rstrip(), "```", "",
        "is imported as:", "",
        "```yaml", _imported("dbml", _DBML_SAMPLE, "blog.dbml").rstrip(), "```", "",
    ]


# --- the CLI reference ----------------------------------------------------------------

def cli_reference(parser: argparse.ArgumentParser | None = None) -> str:
    parser = parser or _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in sub._choices_actions}
    out = ["# CLI reference", "",
           ("*Generated from the argparse parser in `src/backforge/cli.py` when the site is "
           "built.*"), "",
           "```text", _usage(parser), "```", "",
           "Global options: " + ", ".join(
               f"{', '.join(f'`{o}`' for o in a.option_strings)} ({_cell(a.help or '')})"
               for a in parser._actions if a.option_strings) + ".", "",
           ("Exit codes: `0` success; `1` a failed run, failed validation or verification, "
           "or a missing required tool (`doctor`); `2` bad input (nothing written); `3` a "
           "regeneration that left merge conflicts in files you edited; `130` "
           "interrupted."), "",
           "| command | what it does |", "| --- | --- |"]
    out += [f"| [`{name}`](#backforge-{name}) | {_cell(helps.get(name) or '')} |"
            for name in sub.choices]
    out.append("")
    for name, command in sub.choices.items():
        out += _command_section(name, command)
    return "\n".join(out) + "\n"


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage text without its `usage: ` label, continuation lines shifted to match."""
    return parser.format_usage().strip().removeprefix("usage: ").replace("\n" + " " * 7, "\n")


def _command_section(name: str, parser: argparse.ArgumentParser) -> list[str]:
    out = [f"## backforge {name}", "", _cell(parser.description or ""), "",
           "```text", _usage(parser), "```", "",
           "| argument | value | default | description |", "| --- | --- | --- | --- |"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        names = ", ".join(f"`{s}`" for s in action.option_strings) or f"`{action.dest}`"
        out.append(f"| {names} | {_value(action)} | {_arg_default(action)} | "
                   f"{_cell(action.help or '')} |")
    out.append("")
    return out


def _value(action: argparse.Action) -> str:
    if action.nargs == 0:
        return "flag"
    if action.choices:
        return ", ".join(f"`{c}`" for c in action.choices)
    metavar = action.metavar or (action.dest.upper() if action.option_strings
                                 else action.dest)
    kind = {int: "integer", float: "number"}.get(action.type, "text")
    repeat = ", repeatable" if isinstance(action, argparse._AppendAction) else ""
    return f"`{metavar}` ({kind}{repeat})"


def _arg_default(action: argparse.Action) -> str:
    if action.nargs == 0 or action.default in (None, [], argparse.SUPPRESS):
        return "–"
    return f"`{action.default}`"
