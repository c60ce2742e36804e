"""The module table every Express stack shares (express-js, express-ts) and the files
each unit must produce, by the stack's source suffix.

The file lists are the contract with the validator (presence checks) and with the
renderer (which must produce exactly these paths). A stack gives its suffix and its
config files (the manifest and the tool configuration of its language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backforge.express.context import table_stem
from backforge.express.endpoints import custom_endpoints
from backforge.plan.model import ModuleDef, Shared, UnitFiles
from backforge.spec.model import Project
from backforge.spec.names import Names

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


MIGRATION_FILES = ("migrations/0001_initial.up.sql", "migrations/0001_initial.down.sql",
                   "seeds/0001_sample.sql")


def has_tableless_endpoints(project: Project) -> bool:
    return any(e.table is None for e in custom_endpoints(project))


@dataclass(frozen=True)
class Layout:
    """One Express stack's files: `ext` is its source suffix (".js", ".ts");
    `deploy_files(module)` lists a docker/terraform unit's files (from its templates)."""

    ext: str
    config_files: tuple[str, ...]
    deploy_files: Callable[[str], tuple[str, ...]]
    policy_modules: Callable[[], bool]  # whether auth projects get src/policies/<t>
    test_config: tuple[str, ...] = ()  # the test runner's configuration (tests unit)
    def _src(self, folder: str, *names: str) -> tuple[str, ...]:
        return tuple(f"{folder}/{n}{self.ext}" for n in names)

    def single(self, module: str) -> UnitFiles:
        x = self.ext
        if module == "config":
            return UnitFiles(self.config_files, ("package.json",))
        if module == "utils":
            return UnitFiles(self._src("src/utils", "config", "errors", "responses",
                                       "validation", "logger", "index"),
                             (f"src/utils/config{x}", f"src/utils/errors{x}"))
        if module == "migrations":
            return UnitFiles(MIGRATION_FILES, ("migrations/0001_initial.up.sql",))
        if module == "database":
            return UnitFiles(self._src("src/db", "pool", "sql", "migrate", "seed", "index"),
                             (f"src/db/pool{x}", f"src/db/migrate{x}"))
        if module == "middleware":
            return UnitFiles(self._src("src/middleware", "error-handler", "validate",
                                       "request-logger", "not-found", "rate-limit", "index"),
                             (f"src/middleware/error-handler{x}", f"src/middleware/validate{x}"))
        if module == "auth":
            files = (*self._src("src/auth", "password", "tokens", "sessions", "middleware",
                                "schemas", "service", "handlers", "routes", "create-admin"),
                     "migrations/0002_auth.up.sql", "migrations/0002_auth.down.sql")
            return UnitFiles(files, (f"src/auth/middleware{x}", f"src/auth/routes{x}"))
        if module == "app":
            files = (f"src/app{x}", f"src/index{x}")
            return UnitFiles(files, files)
        raise KeyError(module)

    def custom_files(self) -> tuple[str, ...]:
        return tuple(f"src/{folder}/custom{self.ext}"
                     for folder in ("schemas", "services", "handlers", "routes"))

    def table_files(self, module: str, stem: str, auth: bool) -> UnitFiles:
        x = self.ext
        if module == "models":
            files = (f"src/schemas/{stem}{x}", f"src/models/{stem}{x}",
                     *((f"src/policies/{stem}{x}",) if auth else ()))
            return UnitFiles(files, files)
        if module == "tests":
            return UnitFiles((f"tests/{stem}.test{x}",))
        path = f"src/{module}/{stem}{x}"
        return UnitFiles((path,), (path,))

    def shared_files(self, module: str, project: Project) -> UnitFiles:
        x = self.ext
        if module == "routes":
            files = (f"src/routes/index{x}", f"src/openapi{x}")
            extra = self.custom_files() if has_tableless_endpoints(project) else ()
            return UnitFiles((*files, *extra), (f"src/routes/index{x}",))
        if module == "tests":
            # With auth: the session checks; the authorisation matrix wherever the routes
            # enforce the policy (or everything is anonymous, auth off).
            sessions = (f"tests/auth-sessions.test{x}",) if project.options.auth else ()
            matrix = (f"tests/access.test{x}",) if (
                not project.options.auth or self.policy_modules()) else ()
            return UnitFiles((f"tests/helpers{x}", f"tests/app.test{x}", *matrix, *sessions,
                              *self.test_config), (f"tests/helpers{x}",))
        raise KeyError(module)

    def unit_files(self, module: str, table: str | None, project: Project,
                   names: Names) -> UnitFiles:
        if module in ("docker", "terraform"):
            return UnitFiles(self.deploy_files(module))
        if module in _SINGLE_MODULES:
            return self.single(module)
        if table is None:
            return self.shared_files(module, project)
        return self.table_files(module, table_stem(names.table(table).file),
                                project.options.auth and self.policy_modules())


_SINGLE_MODULES = frozenset({"config", "utils", "migrations", "database", "middleware", "auth",
                             "app"})
