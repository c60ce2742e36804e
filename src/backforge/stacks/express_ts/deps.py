"""npm packages the generated TypeScript code requires, per module: express-js's runtime
set, plus the compiler, tsx, the type packages and vitest (checked with `npm view`;
typescript stays below 6.1, the newest typescript-eslint supports)."""

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
    "@types/cors": "^2.8.19",
    "@types/express": "^5.0.6",
    "@types/jsonwebtoken": "^9.0.10",
    "@types/node": "^22.20.7",
    "@types/pg": "^8.23.1",
    "@types/supertest": "^7.2.1",
    "@types/swagger-ui-express": "^4.1.8",
    "eslint": "^10.16.0",
    "globals": "^17.15.0",
    "supertest": "^7.3.2",
    "tsx": "^4.23.15",
    "typescript": "~6.0.3",
    "typescript-eslint": "^8.74.0",
    "vitest": "^5.1.2",
}

RUNTIME: dict[str, tuple[str, ...]] = {
    # utils and middleware import express's types (erased by tsc, checked all the same)
    "utils": ("ajv", "ajv-formats", "dotenv", "express", "pino"),
    "database": ("pg",),
    "middleware": ("@redis/client", "express", "pino-http"),
    "handlers": ("express",),
    "auth": ("express", "jsonwebtoken"),
    "routes": ("express",),
    "app": ("cors", "express", "helmet", "swagger-ui-express"),
    "tests": ("dotenv",),
}

DEVELOPMENT: dict[str, tuple[str, ...]] = {
    "config": ("@eslint/js", "@types/cors", "@types/express", "@types/node", "@types/pg",
               "@types/swagger-ui-express", "eslint", "globals", "tsx", "typescript",
               "typescript-eslint"),
    "auth": ("@types/jsonwebtoken",),
    "tests": ("@types/supertest", "supertest", "vitest"),
}


def module_dependencies(module: str) -> tuple[dict[str, str], dict[str, str]]:
    """(dependencies, devDependencies) that one module's files require."""
    return module_deps(VERSIONS, RUNTIME, DEVELOPMENT, module)


def project_dependencies(modules: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """package.json's (dependencies, devDependencies) for the enabled modules."""
    return project_deps(VERSIONS, RUNTIME, DEVELOPMENT, modules)


# One package-lock.json per option combination (backforge.express.lockfiles); refresh
# them with `python -m backforge.stacks.express_ts.deps`.
LOCKS = LockStore(Path(__file__).parent / "lockfiles", MODULES, RUNTIME, DEVELOPMENT,
                  project_dependencies)

if __name__ == "__main__":
    LOCKS.main(sys.argv[1:])
