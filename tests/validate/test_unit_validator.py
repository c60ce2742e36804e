"""UnitValidator: the engine's Validator, checking one unit against what was validated."""

from __future__ import annotations

import json

from backforge.engine.protocols import Validator
from backforge.plan.model import OutputPolicy
from backforge.validate import UnitValidator

from .conftest import context, generation, unit

# These tests are about the registry checks, on loose files of a test stack: the output
# boundary (tests/validate/test_boundary.py) would call them all undeclared.
UNBOUNDED = OutputPolicy(bounded=False, config_module="src/db/index.js")

# The clean mini project as the engine would produce it: units in dependency order.
UNITS = {
    "config": ["package.json", "src/config.json"],
    "utils": ["src/utils/errors.js", "src/utils/index.js"],
    "database": ["src/db/index.js"],
    "models/tasks": ["src/models/tasks.js"],
    "services/tasks": ["src/services/tasks.js"],
    "routes/tasks": ["src/routes/tasks.js"],
    "routes": ["src/routes/index.js"],
    "app": ["src/app.js", "src/index.js"],
}


def test_is_an_engine_validator() -> None:
    validator: Validator = UnitValidator(policy=UNBOUNDED)
    assert callable(validator.validate)


def test_clean_project_unit_by_unit_has_zero_issues(clean: dict[str, str]) -> None:
    validator = UnitValidator(policy=UNBOUNDED)
    validated: dict[str, str] = {}
    for uid, paths in UNITS.items():
        own = {p: clean[p] for p in paths}
        assert validator.validate(unit(uid), generation(own), context(validated)) == [], uid
        validated.update(own)
    assert set(validated) == set(clean)


def test_relative_import_must_resolve_to_the_unit_or_validated_files() -> None:
    validator = UnitValidator(policy=UNBOUNDED)
    own = {"src/services/a.js": "const { q } = require('../models/a');\n"
                                "const { h } = require('./helper');\n",
           "src/services/helper.js": "exports.h = 1;\n"}
    [issue] = validator.validate(unit(), generation(own), context())
    assert (issue.rule, issue.file, issue.line) == ("import-unresolved", "src/services/a.js", 1)
    done = {"src/models/a.js": "module.exports = { q: 1 };"}
    assert validator.validate(unit(), generation(own), context(done)) == []


def test_files_of_an_unvalidated_earlier_unit_do_not_count() -> None:
    validator = UnitValidator(policy=UNBOUNDED)
    failed = {"src/models/a.js": "module.exports = { q: 1 };"}
    validator.validate(unit("models/a"), generation(failed), context())
    own = {"src/services/a.js": "const { q } = require('../models/a');\n"}
    # The engine did not accept models/a, so its file is not in ctx.files.
    [issue] = validator.validate(unit(), generation(own), context())
    assert issue.rule == "import-unresolved"


def test_names_are_checked_against_validated_files() -> None:
    done = {"src/models/a.js": "module.exports = { findAll() {} };"}
    own = {"src/services/a.js": "\nconst { findAll, remove } = require('../models/a');\n"}
    [issue] = UnitValidator(policy=UNBOUNDED).validate(unit(), generation(own), context(done))
    assert (issue.rule, issue.line) == ("import-name-missing", 2) and "'remove'" in issue.message


def test_only_the_units_own_files_are_reported() -> None:
    done = {"src/broken.js": "const = ;", "src/x.js": "require('left-pad');"}
    own = {"src/ok.js": "const x = require('./x');\n"}
    assert UnitValidator(policy=UNBOUNDED).validate(unit(), generation(own), context(done)) == []


def test_syntax_error_in_the_unit() -> None:
    own = {"src/ok.js": "const a = 1;\n", "src/bad.js": "// c\nconst b = [1, 2;\n"}
    [issue] = UnitValidator(policy=UNBOUNDED).validate(unit(), generation(own), context())
    assert (issue.rule, issue.file, issue.line) == ("js-syntax", "src/bad.js", 2)


def test_packages_declared_by_every_source() -> None:
    code = {"src/a.js": "require('express');\nrequire('pino');\nrequire('jest');\n"
                        "require('zod');\nrequire('ajv');\nrequire('cors');\n"}
    pkg = json.dumps({"dependencies": {"zod": "3"}})
    validator = UnitValidator(policy=UNBOUNDED)
    issues = validator.validate(unit(), generation(code, {"express": "5"}, {"jest": "29"}),
                                context({"package.json": pkg}, {"pino": "9"}))
    assert [(i.rule, i.line) for i in issues] == [("package-undeclared", 5),
                                                  ("package-undeclared", 6)]
    own_pkg = {**code, "package.json": json.dumps({"dependencies": {"ajv": "8", "cors": "2"}})}
    issues = validator.validate(unit(), generation(own_pkg, {"express": "5"}, {"jest": "29"}),
                                context({}, {"pino": "9"}))
    assert [(i.rule, i.line) for i in issues] == [("package-undeclared", 4)]  # zod left


def test_retry_after_fix_is_clean() -> None:
    validator = UnitValidator(policy=UNBOUNDED)
    bad = {"src/a.js": "const { x } = require('./b');\n", "src/b.js": "exports.y = 1;\n"}
    assert [i.rule for i in validator.validate(unit(), generation(bad), context())] == [
        "import-name-missing"]
    fixed = {**bad, "src/b.js": "exports.x = 1;\n"}
    assert validator.validate(unit(), generation(fixed), context()) == []
