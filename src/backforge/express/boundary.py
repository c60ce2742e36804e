"""The output boundary every Express stack shares (the validator enforces it for every
provider, templates included), by source suffix:

- Only `src/utils/config<ext>` reads `process.env`; the test helper (`tests/helpers<ext>`)
  may too: it points the config at the test database before the app loads, and tests
  run only inside `verify`, against a throw-away database.
- Besides their declared files, units may add helpers only in their own source folder;
  config, app, docker and terraform never get extra files. The migrations unit may
  write numbered migrations (a regeneration appends the evolution's; the unit already
  writes 0001, which `npm run migrate` runs, so this widens nothing), nothing else.
- package.json is the config unit's, with exactly the stack's scripts and packages from
  its version table: no install hooks, no other packages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backforge.plan.model import OutputPolicy

PACKAGE_JSON = "package.json"


def express_policy(ext: str, packages: Iterable[str], scripts: Mapping[str, str],
                   test_config: tuple[str, ...] = ()) -> OutputPolicy:
    """`test_config`: the test runner's configuration, which (like the helper) points the
    suites at the test database before the app loads."""
    return OutputPolicy(
        config_module=f"src/utils/config{ext}",
        code_allowances={"unsafe-env-read": (f"tests/helpers{ext}", *test_config)},
        declared_patterns={"migrations": ("migrations/[0-9][0-9][0-9][0-9]_*.up.sql",
                                          "migrations/[0-9][0-9][0-9][0-9]_*.down.sql")},
        extra_folders={
            "utils": ("src/utils",), "database": ("src/db",), "models": ("src/models",),
            "middleware": ("src/middleware",), "auth": ("src/auth",),
            "services": ("src/services",), "handlers": ("src/handlers",),
            "routes": ("src/routes",), "tests": ("tests",),
        },
        forbidden_paths=("node_modules", "node_modules/*", "*/node_modules/*", ".npmrc",
                         "*/.npmrc", ".yarnrc*", "*/.yarnrc*", ".yarn/*", ".pnpmfile.cjs",
                         ".env", "*/.env", ".env.*", "*/.env.*", ".husky/*", ".github/*",
                         ".vscode/*", ".idea/*", "dist", "dist/*"),
        manifest=PACKAGE_JSON,
        manifest_module="config",
        packages=frozenset(packages),
        scripts=dict(scripts),
    )
