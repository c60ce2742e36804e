"""The hostile-spec corpus, slow half: every inert case, run for real, in each Express
stack (the `corpus` fixture is per stack).

One ephemeral PostgreSQL for the session, one database per case. Each case's
migrations are applied by its own generated runner (`node src/db/migrate.js up`, what
`npm run migrate` runs; express-ts: `src/db/migrate.ts` through tsx, as its script does)
and the database must then hold exactly the declared relations:
the spec's tables (by their SQL names) plus the stack's own (`schema_migrations`, and
with auth `auth_sessions` for refresh tokens, renamed clear of the spec's tables;
accounts are rows of the spec's users table), every index, sequence and constraint owned by one of them,
as many of each per table as in the baseline spec's database, and nothing else at all
(no function, trigger, type, rule, policy, extension, schema, role, no `pwn*` object).
Then every module under `src/` but the server entry (`src/index.js` listens) is
required in one node process per case, and `createApp()` builds the app (express-ts:
the .ts modules through tsx; tsc also checks every case, see
`test_every_typescript_case_compiles`). npm installs once per dependency set (the verify stage's hard-link cache), shared by symlink. No
canary folder may get a file. A table of the numbers is printed at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from backforge.express.context import build_project
from backforge.spec import load
from backforge.verify.postgres import EphemeralPostgres, find_bin
from backforge.verify.process import install_dependencies, modules_cache_dir, run_command
from tests.hostile.catalog import objects, roles
from tests.hostile.support import (
    BASELINES,
    INERT,
    REFUSED,
    SOURCE_SUFFIX,
    Generated,
    baseline_of,
    generate_in,
)

pytestmark = pytest.mark.slow

# What the corpus's SQL payloads create (`CREATE TABLE pwned ...`). A declared name may
# hold the word after its table's prefix (a field named `...pwn...`): that is data.
PAYLOAD_NAME = re.compile(r"^pwn", re.IGNORECASE)
# Requires every module but the server entry, builds the app, and leaves time for an
# asynchronous failure at load (an unhandled rejection exits 1) before exiting 0.
LOAD_ALL = r"""
const fs = require('node:fs'); const path = require('node:path');
const [root, ext] = process.argv.slice(1); const src = path.join(root, 'src'); const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p); else if (p.endsWith(ext)) files.push(p);
  }
})(src);
const loaded = files.sort().filter((f) => f !== path.join(src, 'index' + ext));
loaded.forEach((f) => require(f));
const { createApp } = require(path.join(src, 'app' + ext));
if (typeof createApp !== 'function') throw new Error('src/app exports no createApp');
createApp();
setTimeout(() => { console.log(JSON.stringify({ loaded: loaded.length })); process.exit(0); }, 300);
"""


@dataclass
class Outcome:
    name: str
    generated: bool = False
    migrated: bool = False
    loaded: bool = False
    ran: list[str] = field(default_factory=list)  # payload traces: canary files, objects
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def pg():
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, psql) are not installed")
    with EphemeralPostgres() as server:
        yield server


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   capture_output=True, text=True, check=True, timeout=60)


def _database(pg: EphemeralPostgres, stack: str, index: int) -> str:
    name = f"hostile_{stack.replace('-', '_')}_{index}"  # both stacks share the server
    _psql(pg.url, f'CREATE DATABASE "{name}"')
    return pg.url.rsplit("/", 1)[0] + "/" + name


def _link_modules(projects: list[Path], shared: Path) -> None:
    """One install per dependency set, symlinked into every project that declares it
    (projects a test before this one linked already keep theirs)."""
    groups: dict[str, list[Path]] = {}
    for project in (p for p in projects if not (p / "node_modules").exists()):
        manifest = json.loads((project / "package.json").read_text())
        key = json.dumps([manifest.get("dependencies"), manifest.get("devDependencies")],
                         sort_keys=True)
        groups.setdefault(hashlib.sha256(key.encode()).hexdigest()[:16], []).append(project)
    for key, members in groups.items():
        folder = shared / key
        folder.mkdir(parents=True)
        (folder / "package.json").write_bytes((members[0] / "package.json").read_bytes())
        installed = install_dependencies(folder, None, modules_cache_dir())
        assert installed.ok, installed.output[-3000:]
        for project in members:
            (project / "node_modules").symlink_to(folder / "node_modules",
                                                  target_is_directory=True)


def _declared(got: Generated) -> tuple[list[str], set[str]]:
    """(the spec's tables by SQL name in declaration order, the stack's own tables)."""
    loaded = load(got.spec)
    tables = [loaded.names.table(t.name).sql for t in loaded.project.tables]
    ctx = build_project(loaded.project, loaded.names)
    own = {ctx.migrations_table}
    if ctx.auth and ctx.policy.accounts is not None:
        own.add(ctx.sessions_table)
    return tables, own


def _shape(rows: list[tuple[str, str, str]], tables: list[str]) -> Counter:
    """How many objects of each kind each table owns, the spec's tables by position
    (renamed identifiers compare equal), the stack's by name."""
    token = {name: f"table #{i}" for i, name in enumerate(tables)}
    return Counter((kind, token.get(owner, owner)) for kind, _, owner in rows)


def _check_catalog(rows: list[tuple[str, str, str]], tables: list[str], stack: set[str],
                   outcome: Outcome) -> None:
    declared = set(tables) | stack
    made = {name for kind, name, _ in rows if kind in ("rel:r", "rel:p")}
    if made != declared:
        outcome.problems.append(f"tables {sorted(made)} != declared {sorted(declared)}")
    for kind, name, owner in rows:
        if not kind.startswith(("rel:", "constraint:")) or owner not in declared:
            outcome.problems.append(f"undeclared {kind} {name!r} (owner {owner!r})")
        if PAYLOAD_NAME.search(name):
            outcome.ran.append(f"{kind} {name}")


# node's own flags per stack: express-ts runs its .ts sources through tsx (its scripts do)
NODE_FLAGS = {"express-js": [], "express-ts": ["--import", "tsx"]}


def _run_node(got: Generated, args: list[str], url: str) -> str:
    """'' when node exited 0, else its output's tail."""
    env = {"NODE_ENV": "test", "JWT_SECRET": secrets.token_hex(32), "DATABASE_URL": url,
           "LOG_LEVEL": "silent"}
    result = run_command(["node", *NODE_FLAGS[got.stack], *args], got.out, env, timeout=120)
    return "" if result.ok else f"{result.command}: exit {result.returncode}: " \
        f"{result.output[-800:]}"


def _run_case(got: Generated, url: str, baseline: Counter | None, outcome: Outcome) -> Counter:
    ext = SOURCE_SUFFIX[got.stack]
    failed = _run_node(got, [f"src/db/migrate{ext}", "up"], url)
    rows = objects(url)
    tables, stack = _declared(got)
    if failed:
        outcome.problems.append(failed)
    else:
        before = len(outcome.problems)
        _check_catalog(rows, tables, stack, outcome)
        shape = _shape(rows, tables)
        if baseline is not None and shape != baseline:
            outcome.problems.append(f"objects per table differ from the baseline's: "
                                    f"+{dict(shape - baseline)} -{dict(baseline - shape)}")
        outcome.migrated = len(outcome.problems) == before
    failed = _run_node(got, ["-e", LOAD_ALL, str(got.out), ext], url)
    outcome.loaded = not failed
    if failed:
        outcome.problems.append(failed)
    outcome.ran += [f"canary file {p.name}" for p in got.canary.iterdir()]
    return _shape(rows, tables)


def _table(outcomes: list[Outcome], refused: int, stack: str) -> str:
    inert = [o for o in outcomes if o.name not in {p.name for p in BASELINES.values()}]
    numbers = [("cases", len(inert) + len(REFUSED)),
               ("refused with exit 2, nothing written", f"{refused} of {len(REFUSED)}"),
               ("generated inertly", f"{sum(o.generated for o in inert)} of {len(inert)}"),
               ("migrated with only declared relations",
                f"{sum(o.migrated for o in inert)} of {len(inert)}"),
               ("every module loaded", f"{sum(o.loaded for o in inert)} of {len(inert)}"),
               ("payloads that ran", sum(len(o.ran) for o in outcomes))]
    width = max(len(label) for label, _ in numbers)
    return "\n".join(["", f"hostile corpus (slow half, {stack})"] +
                     [f"  {label:<{width}}  {value}" for label, value in numbers])


def _refused(root: Path, stack: str) -> tuple[int, list[str]]:
    """(how many refused cases exited 2 and wrote nothing, canary files they left)."""
    count, ran = 0, []
    for case in REFUSED:
        got = generate_in(root, case, stack)
        count += got.code == 2 and not got.out.exists()
        ran += [f"{case.name}: canary file {p.name}" for p in got.canary.iterdir()]
    return count, ran


def test_every_inert_case_migrates_only_its_relations_and_loads(
        pg: EphemeralPostgres, corpus: dict[str, Generated],
        tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture):
    roles_before = roles(pg.url)
    order = [*BASELINES.values(), *INERT]  # baselines first: their shapes are the reference
    generated = [corpus[case.name] for case in order if corpus[case.name].code == 0]
    _link_modules([g.out for g in generated], tmp_path_factory.mktemp("node-deps"))
    shapes: dict[str, Counter] = {}
    outcomes = []
    for index, case in enumerate(order):
        got, outcome = corpus[case.name], Outcome(case.name)
        outcomes.append(outcome)
        outcome.generated = got.code == 0
        if not outcome.generated:
            outcome.problems.append(f"exit {got.code}: {got.log[-500:]}")
            continue
        base = baseline_of(case)
        reference = shapes.get(BASELINES[base].name) if base else None
        shapes[case.name] = _run_case(got, _database(pg, got.stack, index), reference,
                                      outcome)
    stack = generated[0].stack
    refused, refused_ran = _refused(tmp_path_factory.mktemp("hostile-refused"), stack)
    outcomes[0].ran += refused_ran
    if roles(pg.url) != roles_before:
        outcomes[0].ran.append(f"roles changed: {roles(pg.url)}")
    with capsys.disabled():
        print(_table(outcomes, refused, stack))
    problems = {o.name: o.problems + o.ran for o in outcomes if o.problems or o.ran}
    assert not problems, json.dumps(problems, indent=1)[:8000]
    assert refused == len(REFUSED)
    assert len(outcomes) == len(INERT) + len(BASELINES) >= 60


def test_the_checks_catch_a_payload_that_ran(pg: EphemeralPostgres, corpus: dict[str, Generated],
                                            tmp_path: Path):
    """The same checks on the baseline's output with a planted migration (a table, an
    index on a declared table, a function) and a module that writes to the canary."""
    base = corpus[BASELINES["native"].name]
    work = tmp_path / base.case.name
    shutil.copytree(base.out, work / "out", symlinks=True, ignore=shutil.ignore_patterns(
        "node_modules"))
    (work / "canary").mkdir()
    planted = Generated(base.case, 0, work / "out", "", work / "canary", stack=base.stack)
    shutil.copy2(base.spec, planted.spec)
    _link_modules([planted.out], tmp_path / "deps")
    clean = Outcome("unplanted")
    reference = _run_case(planted, _database(pg, base.stack, 10_000), None, clean)
    assert clean.migrated and clean.loaded and not clean.problems + clean.ran, clean
    (planted.out / "migrations" / "0003_x.up.sql").write_text(
        'CREATE TABLE pwned (x int); CREATE INDEX extra ON "products" ("note");\n'
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n")
    (planted.out / "src" / "utils" / f"planted{SOURCE_SUFFIX[base.stack]}").write_text(
        f"require('node:fs').writeFileSync({json.dumps(str(planted.canary / 'ran'))}, '');\n")
    outcome = Outcome("planted")
    _run_case(planted, _database(pg, base.stack, 10_001), reference, outcome)
    assert not outcome.migrated and outcome.loaded
    assert any("undeclared rel:r 'pwned'" in p for p in outcome.problems), outcome.problems
    assert any("undeclared function:f 'f'" in p for p in outcome.problems), outcome.problems
    assert any("differ from the baseline" in p and "rel:i" in p for p in outcome.problems)
    assert outcome.ran == ["rel:r pwned", "canary file ran"]


@pytest.mark.parametrize("corpus", ["express-ts"], indirect=True)
def test_every_typescript_case_compiles(corpus: dict[str, Generated],
                                        tmp_path_factory: pytest.TempPathFactory):
    """`tsc --noEmit` with the generated tsconfig's options (strict,
    noUncheckedIndexedAccess) over every express-ts case, sources and tests: zero errors,
    so no spec text changed what the code says to the compiler. One program per
    dependency set (cases sharing one node_modules; across two installs the same
    package would be two modules and Express's type augmentation would not apply) costs
    one tsc start per set, not per case."""
    outs = [g.out for g in corpus.values() if g.code == 0]
    assert len(outs) == len(INERT) + len(BASELINES)
    _link_modules(outs, tmp_path_factory.mktemp("node-deps"))
    groups: dict[Path, list[Path]] = {}
    for out in outs:
        groups.setdefault((out / "node_modules").resolve(), []).append(out)
    checked = []
    for modules, members in groups.items():
        checked += _tsc(members, modules, tmp_path_factory.mktemp("tsc"))
    assert len(checked) > 40 * len(outs)  # every case's whole tree


def _tsc(outs: list[Path], modules: Path, folder: Path) -> list[str]:
    """Type-check these cases as one program with the first one's compiler options; the
    .ts files of theirs tsc checked."""
    options = json.loads((outs[0] / "tsconfig.json").read_text())["compilerOptions"]
    assert options["strict"] is True and options["noUncheckedIndexedAccess"] is True
    (folder / "node_modules").symlink_to(modules, target_is_directory=True)
    config = {"compilerOptions": {**options, "rootDir": os.path.commonpath(outs),
                                  "noEmit": True},
              "include": [f"{out}/{part}/**/*.ts" for out in outs for part in ("src", "tests")]}
    (folder / "tsconfig.json").write_text(json.dumps(config, indent=1))
    result = run_command([str(modules / ".bin" / "tsc"), "-p", "tsconfig.json", "--listFiles"],
                         folder, timeout=900)
    errors = [line for line in result.output.splitlines() if "error TS" in line]
    assert result.ok and not errors, "\n".join(errors[:40]) or result.output[-3000:]
    return [line for line in result.output.splitlines()
            if line.endswith(".ts") and "/node_modules/" not in line]
