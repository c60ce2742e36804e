"""The safety gate (issue 11 part 4): every forbidden API caught at the right file and
line, in a real unit of the template output; the same text in a comment or a string
never flagged; template output of the three examples clean; the allow-list is stack data."""

from __future__ import annotations

import dataclasses

import pytest

from backforge import api
from backforge import plan as planner
from backforge.engine.protocols import GeneratedFile, Generation, UnitContext
from backforge.plan.model import OutputPolicy
from backforge.stacks import get_stack
from backforge.stacks.express_js.boundary import POLICY
from backforge.validate import UnitValidator
from backforge.validate.checks.safety import SAFETY_RULES
from backforge.validate.languages.javascript import JavaScriptLanguage
from tests.conftest import DATA

EXAMPLES = ("taskmanager.yaml", "shop.yaml", "blog.project.json")
TARGET_UNIT, TARGET = "services/tasks", "src/services/tasks.js"

# (rule, code): every form the gate must catch, one statement each.
CAUGHT = [
    ("unsafe-child-process", "const cp = require('child_process');"),
    ("unsafe-child-process", "const { exec } = require('node:child_process');"),
    ("unsafe-child-process", "import('child_process').then((m) => m.exec('id'));"),
    ("unsafe-child-process", "require(`child_process`).execSync('id');"),
    ("unsafe-dynamic-require", "require('child' + '_process');"),
    ("unsafe-dynamic-require", "const name = 'x'; require(name);"),
    ("unsafe-dynamic-require", "import(`./${'x'}`);"),
    ("unsafe-dynamic-require", "const load = require; load('fs');"),
    ("unsafe-dynamic-require", "require.cache['x'] = {};"),
    ("unsafe-eval", "eval('1 + 1');"),
    ("unsafe-eval", "const run = eval; run('1');"),
    ("unsafe-eval", "globalThis.eval('1');"),
    ("unsafe-eval", "global.eval('1');"),
    ("unsafe-eval", "global['eval']('1');"),
    ("unsafe-dynamic-access", "global['ev' + 'al']('1');"),
    ("unsafe-dynamic-access", "globalThis[['ev', 'al'].join('')]('1');"),
    ("unsafe-dynamic-access", "const g = globalThis; g.x = 1;"),
    ("unsafe-dynamic-access", "process[['e', 'nv'].join('')];"),
    ("unsafe-function-constructor", "new Function('return 1')();"),
    ("unsafe-function-constructor", "Function('return 1')();"),
    ("unsafe-function-constructor", "(() => {}).constructor('return 1')();"),
    ("unsafe-function-constructor", "const F = Function; F('x');"),
    ("unsafe-vm", "const vm = require('vm');"),
    ("unsafe-vm", "require('node:vm').runInThisContext('1');"),
    ("unsafe-worker", "const { Worker } = require('worker_threads');"),
    ("unsafe-worker", "require('cluster').fork();"),
    ("unsafe-native", "process.binding('spawn_sync');"),
    ("unsafe-native", "process._linkedBinding('x');"),
    ("unsafe-native", "process.dlopen({}, 'x.node');"),
    ("unsafe-native", "module.constructor._load('child_process');"),
    ("unsafe-native", "require('module')._load('child_process');"),
    ("unsafe-native", "process.mainModule.require('child_process');"),
    ("unsafe-fs-write", "require('fs').writeFileSync('/etc/x', 'y');"),
    ("unsafe-fs-write", "const { unlinkSync } = require('node:fs');"),
    ("unsafe-fs-write", "require('fs').promises.rm('../x', { recursive: true });"),
    ("unsafe-fs-write", "const fsp = require('fs/promises'); fsp.writeFile('a', 'b');"),
    ("unsafe-fs-write", "const nfs = require('fs'); nfs.appendFileSync('a', 'b');"),
    ("unsafe-fs-write", "const nfs = require('fs'); nfs['createWriteStream']('a');"),
    ("unsafe-fs-write", "const { promises: p } = require('fs'); p.unlink('a');"),
    ("unsafe-network", "require('http').request('http://example.invalid');"),
    ("unsafe-network", "require('https').get('https://example.invalid');"),
    ("unsafe-network", "const net = require('net'); net.connect(80, 'example.invalid');"),
    ("unsafe-network", "require('tls').connect(443, 'example.invalid');"),
    ("unsafe-network", "require('dgram').createSocket('udp4');"),
    ("unsafe-network", "require('http2').connect('https://example.invalid');"),
    ("unsafe-network", "fetch('http://example.invalid');"),
    ("unsafe-network", "globalThis.fetch('http://example.invalid');"),
    ("unsafe-network", "new XMLHttpRequest();"),
    ("unsafe-network", "new WebSocket('ws://example.invalid');"),
    ("unsafe-env-read", "const secret = process.env.JWT_SECRET;"),
    ("unsafe-env-read", "const { env } = process;"),
    ("unsafe-env-read", "const all = process['env'];"),
    ("unsafe-env-read", "const { JWT_SECRET } = process.env;"),
]
# The same words where they are not code: never flagged.
INERT = [
    "// require('child_process'); eval('x'); process.env.SECRET; fetch('http://x')",
    "/* new Function('x'); require('fs').writeFileSync('/etc/x') */",
    "const note = \"require('child_process') eval( fetch( process.env.X globalThis.eval\";",
    "const tpl = `new WebSocket('ws://x') ${'process.env.X'} require(name)`;",
    "const fs = require('fs'); fs.readFileSync; fs.existsSync;",
    "const http = require('http'); http.createServer; http.STATUS_CODES;",
    "if (require.main === module) { /* entry point */ }",
    "const ok = value instanceof Function;",
    "const obj = { eval: 1, fetch: 2 }; obj.fetch; obj.eval;",
    "process.exitCode = 0; process.on('SIGTERM', () => {}); process.nextTick(() => {});",
    "const p = require.resolve('express');",
]


@pytest.fixture(scope="module")
def tm():
    loaded = api.load(DATA / "taskmanager.yaml")
    stack = get_stack("express-js")
    the_plan = planner.build(loaded.project, stack, loaded.names)
    files: dict[str, str] = {}
    deps: dict[str, str] = {}
    for uid, unit in the_plan.units.items():
        if uid == TARGET_UNIT:
            return the_plan, unit, stack.render(unit, the_plan), files, deps
        gen = stack.render(unit, the_plan)
        files.update(gen.file_map())
        deps.update({**gen.dependencies, **gen.dev_dependencies})
    raise AssertionError(TARGET_UNIT)


def _with_line(tm, code: str) -> tuple[list, int]:
    """Validate the target unit with `code` inserted as a new line after line 3."""
    the_plan, unit, gen, files, deps = tm
    lines = gen.file_map()[TARGET].split("\n")
    at = 3
    lines.insert(at, code)
    changed = tuple(GeneratedFile(f.path, "\n".join(lines) if f.path == TARGET else f.content)
                    for f in gen.files)
    generation = dataclasses.replace(gen, files=changed)
    issues = UnitValidator().validate(unit, generation, UnitContext(the_plan, 1, files, deps))
    return issues, at + 1


def test_the_untouched_unit_is_clean(tm) -> None:
    the_plan, unit, gen, files, deps = tm
    assert UnitValidator().validate(unit, gen, UnitContext(the_plan, 1, files, deps)) == []


@pytest.mark.parametrize(("rule", "code"), CAUGHT, ids=[c for _, c in CAUGHT])
def test_each_forbidden_api_is_caught_at_its_file_and_line(tm, rule: str, code: str) -> None:
    issues, line = _with_line(tm, code)
    unsafe = [(i.rule, i.file, i.line) for i in issues if i.rule.startswith("unsafe-")]
    assert (rule, TARGET, line) in unsafe, issues
    assert all(f == TARGET and ln == line for _, f, ln in unsafe)
    hit = next(i for i in issues if i.rule == rule)
    assert hit.severity == "error" and hit.hint


@pytest.mark.parametrize("code", INERT)
def test_the_same_text_in_comments_strings_and_harmless_calls_is_not_flagged(tm, code) -> None:
    issues, _ = _with_line(tm, code)
    assert [i for i in issues if i.rule.startswith("unsafe-")] == []


def test_es_module_forms_are_caught_too() -> None:
    source = ("import { exec } from 'child_process';\n"
              "import * as fs from 'node:fs';\n"
              "import fsp from 'fs/promises';\n"
              "import { writeFile } from 'fs';\n"
              "fs.rmSync('x');\n"
              "fsp.unlink('x');\n"
              "const m = await import('node:vm');\n")
    found = {(h.rule, h.line) for h in JavaScriptLanguage().parse("x.mjs", source).hazards}
    assert found == {("unsafe-child-process", 1), ("unsafe-fs-write", 4),
                     ("unsafe-fs-write", 5), ("unsafe-fs-write", 6), ("unsafe-vm", 7)}


def test_every_rule_has_a_catching_case() -> None:
    assert {r for r, _ in CAUGHT} == set(SAFETY_RULES)


def test_the_env_allowance_is_stack_data() -> None:
    """The config module (and the test helper) may read process.env; a policy without
    the allowance flags the very same template file."""
    loaded = api.load(DATA / "taskmanager.yaml")
    stack = get_stack("express-js")
    the_plan = planner.build(loaded.project, stack, loaded.names)
    unit = the_plan.units["utils"]
    assert POLICY.config_module == "src/utils/config.js" and POLICY.config_module in unit.critical
    gen = stack.render(unit, the_plan)
    ctx = UnitContext(the_plan, 1, {}, {})
    assert UnitValidator().validate(unit, gen, ctx) == []
    strict = dataclasses.replace(POLICY, config_module=None)
    flagged = UnitValidator(policy=strict).validate(unit, gen, ctx)
    assert {(i.rule, i.file) for i in flagged} == {("unsafe-env-read", "src/utils/config.js")}
    # A model-written service that reads the environment is flagged under the real policy.
    assert not any(i.rule == "unsafe-env-read" for i in UnitValidator(
        policy=OutputPolicy(bounded=False, config_module="src/utils/config.js")
    ).validate(unit, gen, ctx))


@pytest.mark.parametrize("example", EXAMPLES)
def test_template_output_of_the_examples_has_zero_safety_issues(example: str) -> None:
    result = api.generate(DATA / example)
    assert result.success
    every_issue = [i for u in result.report["units"] for a in u["attempts"] for i in a["issues"]]
    assert [i for i in every_issue if i["rule"].startswith("unsafe-")] == []
    assert all(a["attempt"] == 1 for u in result.report["units"] for a in u["attempts"])
    # And file by file, straight from the parser: only the allowed env reads exist.
    lang = JavaScriptLanguage()
    found = {(p, h.rule) for p, c in result.files.items() if p.endswith(".js")
             for h in lang.parse(p, c).hazards}
    assert found <= {("src/utils/config.js", "unsafe-env-read"),
                     ("tests/helpers.js", "unsafe-env-read")}
    assert ("src/utils/config.js", "unsafe-env-read") in found


def test_a_generation_is_judged_whatever_provider_wrote_it(tm) -> None:
    """The gate sits in the validator: a template-shaped answer with one forbidden line
    is refused even when the rest is byte-identical to the template output."""
    the_plan, unit, gen, files, deps = tm
    bad = Generation(tuple(GeneratedFile(f.path, f.content + "eval('1');\n")
                           for f in gen.files), gen.dependencies, gen.dev_dependencies)
    issues = UnitValidator().validate(unit, bad, UnitContext(the_plan, 1, files, deps))
    assert {i.rule for i in issues} == {"unsafe-eval"}
