"""npm packages the generated code requires, per module.

Caret ranges of the current majors (checked with `npm view`); the floor is a
release every mirror has. Each unit declares exactly what its files require,
and package.json lists the union over the enabled modules.
"""

from __future__ import annotations

from collections.abc import Iterable

VERSIONS: dict[str, str] = {
    "ajv": "^8.17.1",
    "ajv-formats": "^3.0.1",
    "bcryptjs": "^3.0.2",
    "cors": "^2.8.5",
    "dotenv": "^16.4.7",
    "express": "^5.1.0",
    "helmet": "^8.1.0",
    "jsonwebtoken": "^9.0.2",
    "pg": "^8.13.0",
    "pino": "^9.6.0",
    "pino-http": "^10.4.0",
    "swagger-ui-express": "^5.0.1",
    # development only
    "@eslint/js": "^9.25.0",
    "eslint": "^9.25.0",
    "globals": "^16.0.0",
    "jest": "^29.7.0",
    "supertest": "^7.1.0",
}

RUNTIME: dict[str, tuple[str, ...]] = {
    "utils": ("ajv", "ajv-formats", "dotenv", "pino"),
    "database": ("pg",),
    "middleware": ("pino-http",),
    "auth": ("bcryptjs", "express", "jsonwebtoken"),
    "routes": ("express",),
    "app": ("cors", "express", "helmet", "swagger-ui-express"),
    "tests": ("dotenv",),
}

DEVELOPMENT: dict[str, tuple[str, ...]] = {
    "config": ("@eslint/js", "eslint", "globals"),
    "tests": ("jest", "supertest"),
}


def _pins(packages: Iterable[str]) -> dict[str, str]:
    return {name: VERSIONS[name] for name in sorted(set(packages))}


def module_dependencies(module: str) -> tuple[dict[str, str], dict[str, str]]:
    """(dependencies, devDependencies) that one module's files require."""
    return _pins(RUNTIME.get(module, ())), _pins(DEVELOPMENT.get(module, ()))


def project_dependencies(modules: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """package.json's (dependencies, devDependencies) for the enabled modules."""
    mods = list(modules)
    runtime = {p for m in mods for p in RUNTIME.get(m, ())}
    dev = {p for m in mods for p in DEVELOPMENT.get(m, ())} - runtime
    return _pins(runtime), _pins(dev)
