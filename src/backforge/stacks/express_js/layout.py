"""The express-js module table and the files each unit must produce.

The file lists here are the contract with the validator (presence checks) and
with the renderer (which must produce exactly these paths).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from backforge.plan.model import ModuleDef, Shared, UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names
from backforge.stacks.express_js.endpoints import custom_endpoints

TEMPLATES = Path(__file__).parent / "templates"
# src/policies/<table>.js and routes that apply them (access.ENFORCED); verify's contract
# and tests/access.test.js hold the authorisation matrix.
POLICY_MODULES = True

# Why `migrations` stands alone and who waits for it. The initial migration and the
# seed follow from the spec alone (no JS module), so that unit starts at once instead
# of riding on the critical chain inside `database` (utils -> database -> models...).
# `database` itself does not need it (its runner reads migrations/ at run time), nor
# does `auth` directly (it waits for models: 0002_auth alters the users table, whose
# rows are the accounts, and register validates with its schema). `models` does: the
# validator's query-column-unknown rule holds quoted names in a model's SQL
# against the schema the migrations create, and it judges as soon as any CREATE TABLE
# is known, e.g. the migrate runner's bookkeeping table in src/db/migrate.js; without
# the edge a model validated before 0001 exists would fail on every column. Later
# modules with SQL (services, routes, tests) wait for it through models. In practice
# the edge costs nothing: migrations (no dependencies) finishes before utils ->
# database does, so it stays off the critical path.
MODULES: tuple[ModuleDef, ...] = (
    ModuleDef("config"),
    ModuleDef("docker", option="docker"),
    ModuleDef("terraform", option="terraform"),
    ModuleDef("utils"),
    ModuleDef("migrations", critical=True),
    ModuleDef("database", ("utils",), critical=True),
    ModuleDef("models", ("database", "migrations", "utils"), critical=True, per_table=True),
    ModuleDef("middleware", ("utils",)),
    ModuleDef("auth", ("models", "database", "utils", "middleware"), option="auth"),
    ModuleDef("services", ("models", "utils"), critical=True, per_table=True),
    ModuleDef("handlers", ("services", "utils", "middleware"), critical=True, per_table=True),
    ModuleDef("routes", ("handlers", "middleware", "auth"), critical=True, per_table=True,
              shared=Shared.AFTER),
    ModuleDef("app", ("routes", "middleware", "auth")),
    ModuleDef("tests", ("app",), per_table=True, shared=Shared.BEFORE, option="tests"),
)

# Modules whose files follow from the project's settings alone (see STACK.unit_scope):
# a new column or table does not change them, so regeneration replays them.
SETTINGS_MODULES = frozenset({"utils", "middleware", "database", "auth", "app", "docker",
                              "terraform"})

# File stems the shared files use in folders that also hold one file per table:
# a table called "index" or "custom" gets "<stem>-table" instead.
RESERVED_STEMS = frozenset({"index", "custom", "app"})

CONFIG_FILES = ("package.json", "package-lock.json", ".npmrc", ".env.example", ".gitignore",
                "eslint.config.js", "README.md", ".github/workflows/ci.yml")
UTILS_FILES = tuple(f"src/utils/{n}.js" for n in
                    ("config", "errors", "responses", "validation", "logger", "index"))
MIGRATION_FILES = ("migrations/0001_initial.up.sql", "migrations/0001_initial.down.sql",
                   "seeds/0001_sample.sql")
DATABASE_FILES = ("src/db/pool.js", "src/db/sql.js", "src/db/migrate.js", "src/db/seed.js",
                  "src/db/index.js")
MIDDLEWARE_FILES = tuple(f"src/middleware/{n}.js" for n in
                         ("error-handler", "validate", "request-logger", "not-found", "index"))
AUTH_FILES = (*(f"src/auth/{n}.js" for n in
                ("password", "tokens", "middleware", "schemas", "service", "handlers", "routes",
                 "create-admin")),
              "migrations/0002_auth.up.sql", "migrations/0002_auth.down.sql")
APP_FILES = ("src/app.js", "src/index.js")
CUSTOM_FILES = ("src/schemas/custom.js", "src/services/custom.js", "src/handlers/custom.js",
                "src/routes/custom.js")


def table_stem(file: str) -> str:
    """The file stem of a table's files, kept clear of the shared files' names."""
    return f"{file}-table" if file in RESERVED_STEMS else file


@cache
def extra_templates(folder: str) -> tuple[str, ...]:
    """Template paths (relative to templates/<folder>, minus .j2) found on disk, sorted."""
    root = TEMPLATES / folder
    if not root.is_dir():
        return ()
    return tuple(sorted(p.relative_to(root).as_posix()[:-3]
                        for p in root.rglob("*.j2") if p.is_file()))


def extra_output_path(folder: str, rel: str) -> str:
    return f"terraform/{rel}" if folder == "terraform" else rel


def has_tableless_endpoints(project: Project) -> bool:
    return any(e.table is None for e in custom_endpoints(project))


def _table_files(module: str, stem: str, auth: bool) -> UnitFiles:
    if module == "models":
        files = (f"src/schemas/{stem}.js", f"src/models/{stem}.js",
                 *((f"src/policies/{stem}.js",) if auth else ()))
        return UnitFiles(files, files)
    if module == "tests":
        return UnitFiles((f"tests/{stem}.test.js",))
    path = f"src/{module}/{stem}.js"
    return UnitFiles((path,), (path,))


def _shared_files(module: str, project: Project) -> UnitFiles:
    if module == "routes":
        files = ("src/routes/index.js", "src/openapi.js")
        extra = CUSTOM_FILES if has_tableless_endpoints(project) else ()
        return UnitFiles((*files, *extra), ("src/routes/index.js",))
    if module == "tests":
        # tests/access.test.js: the authorisation matrix (stacks/express_js/authz.py)
        matrix = ("tests/access.test.js",) if not project.options.auth or POLICY_MODULES \
            else ()
        return UnitFiles(("tests/helpers.js", "tests/app.test.js", *matrix),
                         ("tests/helpers.js",))
    raise KeyError(module)


_SINGLE: dict[str, UnitFiles] = {
    "config": UnitFiles(CONFIG_FILES, ("package.json",)),
    "utils": UnitFiles(UTILS_FILES, ("src/utils/config.js", "src/utils/errors.js")),
    "migrations": UnitFiles(MIGRATION_FILES, ("migrations/0001_initial.up.sql",)),
    "database": UnitFiles(DATABASE_FILES, ("src/db/pool.js", "src/db/migrate.js")),
    "middleware": UnitFiles(MIDDLEWARE_FILES, ("src/middleware/error-handler.js",
                                               "src/middleware/validate.js")),
    "auth": UnitFiles(AUTH_FILES, ("src/auth/middleware.js", "src/auth/routes.js")),
    "app": UnitFiles(APP_FILES, APP_FILES),
}


def unit_files(module: str, table: str | None, project: Project, names: Names) -> UnitFiles:
    if module in ("docker", "terraform"):
        return UnitFiles(tuple(extra_output_path(module, rel)
                               for rel in extra_templates(module)))
    if module in _SINGLE:
        return _SINGLE[module]
    if table is None:
        return _shared_files(module, project)
    return _table_files(module, table_stem(names.table(table).file),
                        project.options.auth and POLICY_MODULES)
