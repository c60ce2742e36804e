"""npm packages the generated code requires, per module.

Caret ranges of the current majors (checked with `npm view`); the floor is a
release every mirror has. Each unit declares exactly what its files require,
and package.json lists the union over the enabled modules.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from backforge.express.layout import MODULES
from backforge.express.lockfiles import LockStore, module_deps, project_deps

VERSIONS: dict[str, str] = {
    "@redis/client": "^6.4.0",
    "ajv": "^8.20.0",
    "ajv-formats": "^3.0.1",
    "cors": "^2.8.6",
    "dotenv": "^18.0.10",
    "express": "^5.3.0",
    "helmet": "^8.3.0",
    "jsonwebtoken": "^9.0.3",
    "pg": "^8.23.1",
    "pino": "^10.4.0",
    "pino-http": "^11.0.0",
    "swagger-ui-express": "^5.0.1",
    # development only
    "@eslint/js": "^10.0.1",
    "eslint": "^10.16.0",
    "globals": "^17.15.0",
    "jest": "^30.5.2",
    "supertest": "^7.3.2",
}

RUNTIME: dict[str, tuple[str, ...]] = {
    "utils": ("ajv", "ajv-formats", "dotenv", "pino"),
    "database": ("pg",),
    "middleware": ("@redis/client", "pino-http"),
    "auth": ("express", "jsonwebtoken"),
    "routes": ("express",),
    "app": ("cors", "express", "helmet", "swagger-ui-express"),
    "tests": ("dotenv",),
}

DEVELOPMENT: dict[str, tuple[str, ...]] = {
    "config": ("@eslint/js", "eslint", "globals"),
    "tests": ("jest", "supertest"),
}


def module_dependencies(module: str) -> tuple[dict[str, str], dict[str, str]]:
    """(dependencies, devDependencies) that one module's files require."""
    return module_deps(VERSIONS, RUNTIME, DEVELOPMENT, module)


def project_dependencies(modules: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """package.json's (dependencies, devDependencies) for the enabled modules."""
    return project_deps(VERSIONS, RUNTIME, DEVELOPMENT, modules)


# One package-lock.json per option combination (backforge.express.lockfiles); refresh
# them with `python -m backforge.stacks.express_js.deps`.
LOCKS = LockStore(Path(__file__).parent / "lockfiles", MODULES, RUNTIME, DEVELOPMENT,
                  project_dependencies)

if __name__ == "__main__":
    LOCKS.main(sys.argv[1:])
