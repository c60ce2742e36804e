"""Speed of the first validation layer on a synthetic Express project.

Synthesizes ~10 CommonJS files per table (model, service, handler, route, schema,
test, ...) that require each other and npm packages, like a generated 150-table
project (~1,500 files, ~6 MB), then times:
  - validate_tree over the whole project (one pass, cold parse cache);
  - UnitValidator fed unit by unit, each call seeing every file validated so far
    (the engine's pattern).

Run: .venv/bin/python bench/validate.py [--tables 150] [--repeat 3]
Target (validate brief): 150 tables validate in < 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.plan.model import ModuleDef, Plan, Unit
from backforge.spec.model import Field, FieldType, Project, Table
from backforge.spec.names import resolve
from backforge.validate import UnitValidator, validate_tree

LAYERS = ("models", "services", "handlers", "routes", "schemas", "serializers", "policies",
          "events", "fixtures", "tests")
COLUMNS = ("id", "name", "title", "description", "status", "amount", "quantity", "owner_id",
           "created_at", "updated_at")


def _model(t: str, parent: str | None) -> str:
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    fk = (f"\nasync function listBy{parent.title()}(id) {{\n  const {{ rows }} = await "
          f"query('SELECT {cols} FROM \"{t}\" WHERE \"owner_id\" = $1', [id]);\n"
          "  return rows;\n}\n") if parent else ""
    body = "".join(
        f"\nasync function {verb}{t.title()}(id, data = {{}}) {{\n"
        f"  const sql = `UPDATE \"{t}\" SET {cols} WHERE \"id\" = $1 RETURNING *`;\n"
        f"  const {{ rows }} = await query(sql, [id, ...Object.values(data)]);\n"
        f"  if (!rows.length) throw new NotFoundError(`{t} ${{id}} not found`);\n"
        f"  logger.debug({{ table: '{t}', op: '{verb}', id }});\n  return rows[0];\n}}\n"
        for verb in ("find", "update", "patch", "archive", "restore"))
    exports = ", ".join(f"{v}{t.title()}" for v in ("find", "update", "patch", "archive",
                                                     "restore"))
    return ("'use strict';\n\nconst { query, withTransaction } = require('../database');\n"
            "const { NotFoundError } = require('../utils/errors');\n"
            "const logger = require('../utils/logger');\n"
            f"{body}{fk}\nmodule.exports = {{ {exports}{', listBy' + parent.title() if parent else ''},"
            " withTransaction };\n")


def _layer(layer: str, below: str, t: str) -> str:
    fns = "".join(
        f"\n/** {layer} step {i} for {t}: validates, calls the layer below, shapes output. */\n"
        f"const step{i} = async (req, res, next) => {{\n  try {{\n"
        f"    const input = {{ ...req.body, page: Number(req.query.page ?? 1) }};\n"
        f"    const result = await below.find{t.title()}(req.params.id, input);\n"
        f"    res.status(200).json({{ data: result, meta: {{ step: {i}, table: '{t}' }} }});\n"
        "  } catch (err) {\n    next(err);\n  }\n};\n"
        for i in range(10))
    names = ", ".join(f"step{i}" for i in range(10))
    return ("'use strict';\n\nconst express = require('express');\n"
            "const { z } = require('zod');\nconst path = require('node:path');\n"
            f"const below = require('../{below}/{t}');\n"
            "const { ok, created } = require('../utils/responses');\n"
            f"{fns}\nmodule.exports = {{ {names}, router: express.Router() }};\n")


def synth_project(n_tables: int) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """units (unit id -> files) in dependency order, and the package.json dependencies."""
    deps = {"express": "^5.1.0", "pg": "^8.13.0", "zod": "^3.23.0", "pino": "^9.5.0"}
    utils = {
        "package.json": json.dumps({"name": "bench", "dependencies": deps}, indent=2),
        "src/utils/errors.js": "class NotFoundError extends Error {}\n"
                               "module.exports = { NotFoundError };\n",
        "src/utils/logger.js": "const pino = require('pino');\nmodule.exports = pino();\n",
        "src/utils/responses.js": "const ok = (res, d) => res.json(d);\n"
                                  "const created = (res, d) => res.status(201).json(d);\n"
                                  "module.exports = { ok, created };\n",
        "src/database/index.js": "const { Pool } = require('pg');\nconst pool = new Pool();\n"
                                 "const query = (t, p) => pool.query(t, p);\n"
                                 "async function withTransaction(fn) { return fn(pool); }\n"
                                 "module.exports = { query, withTransaction, pool };\n",
    }
    units: dict[str, dict[str, str]] = {"utils": utils}
    tables = [f"table{i}" for i in range(n_tables)]
    for layer_no, layer in enumerate(LAYERS):
        for i, t in enumerate(tables):
            parent = tables[i - 1] if i else None
            content = _model(t, parent) if layer_no == 0 else _layer(layer, LAYERS[layer_no - 1],
                                                                     t)
            units[f"{layer}/{t}"] = {f"src/{layer}/{t}.js": content}
    return units, deps


def bench_tree(units: dict[str, dict[str, str]], deps: dict[str, str]) -> tuple[float, int]:
    files = {p: c for fs in units.values() for p, c in fs.items()}
    start = time.perf_counter()
    issues = validate_tree(files, None)
    return time.perf_counter() - start, len(issues)


def _plan() -> Plan:
    """A real (empty) plan: the validator never reads it, but the context carries one."""
    project = Project(name="bench", tables=(Table(name="t", fields=(
        Field(name="id", type=FieldType.INTEGER, primary_key=True),)),))
    return Plan(project, resolve(project), "express-js", tuple(ModuleDef(m) for m in LAYERS))


def bench_units(units: dict[str, dict[str, str]], deps: dict[str, str]) -> tuple[float, int]:
    validator = UnitValidator()
    plan = _plan()
    seen: dict[str, str] = {}
    n_issues = 0
    start = time.perf_counter()
    for uid, files in units.items():
        unit = Unit(uid, uid.split("/")[0], None, (), tuple(files), ())
        gen = Generation(tuple(GeneratedFile(p, c) for p, c in files.items()), deps)
        ctx = UnitContext(plan=plan, attempt=1, files=seen, dependencies=deps)
        n_issues += len(validator.validate(unit, gen, ctx))
        seen.update(files)
    return time.perf_counter() - start, n_issues


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    units, deps = synth_project(args.tables)
    n_files = sum(len(fs) for fs in units.values())
    size = sum(len(c) for fs in units.values() for c in fs.values())
    print(f"{args.tables} tables: {n_files} files, {size / 1e6:.2f} MB, {len(units)} units")
    for label, fn in (("validate_tree", bench_tree), ("UnitValidator", bench_units)):
        runs = [fn(units, deps) for _ in range(args.repeat)]
        times = [t for t, _ in runs]
        best = min(times)
        print(f"{label:14s} best {best:.2f} s  median {statistics.median(times):.2f} s  "
              f"{n_files / best:,.0f} files/s  {size / 1e6 / best:.1f} MB/s  "
              f"issues={runs[0][1]}")


if __name__ == "__main__":
    main()
