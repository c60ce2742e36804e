"""The hostile-spec corpus, fast half, for each Express stack (the `corpus` fixture is
per stack): every refused case exits 2 and writes nothing; every inert case generates,
its JavaScript compiles in node and its TypeScript parses, both keep the baseline's code
tokens, its scripts parse, pass shellcheck and run, its Terraform holds only the
expected blocks, its Markdown stays text, and no canary folder gets a file. The case
format is in tests/hostile/support.py; the PostgreSQL and module-loading half is
tests/hostile/test_corpus_slow.py.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import tree_sitter_javascript as tsjs
import tree_sitter_typescript as tsts
import yaml
from tree_sitter import Language, Node, Parser

from tests.hostile.support import (
    HERE,
    INERT,
    REFUSED,
    STACKS,
    Generated,
    baseline_of,
    case_files,
    expectations,
    generate,
)

EXPECTED_TF = HERE.parent / "data" / "expected" / "taskmanager" / "terraform"
# The stacks' code: JavaScript (express-js, and terraform's scripts) and TypeScript.
PARSERS = {".js": Parser(Language(tsjs.language())),
           ".ts": Parser(Language(tsts.language_typescript()))}
_PIPE = re.compile(r"(?<!\\)\|")


def test_the_corpus_is_big_enough():
    assert len(INERT) + len(REFUSED) >= 40
    assert {p.suffix for p in INERT} >= {".yaml", ".json"}


# --- refused ---------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("case", REFUSED, ids=lambda p: p.name)
def test_refused_case_exits_2_and_writes_nothing(case: Path, stack: str, tmp_path: Path):
    canary = tmp_path / "canary"
    canary.mkdir()
    code, out, log = generate(case, tmp_path, canary, stack)
    assert code == 2, log
    assert not out.exists()
    assert "Traceback" not in log
    message = expectations(case).get("message")
    if message:
        assert message in log


# --- inert: generation, JavaScript and TypeScript --------------------------------------


@pytest.mark.parametrize("case", INERT, ids=lambda p: p.name)
def test_inert_case_generates(case: Path, corpus: dict[str, Generated]):
    got = corpus[case.name]
    assert got.code == 0, got.log


def _code_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in PARSERS and
                  "node_modules" not in p.parts and p.is_file())


def _typescript_errors(files: list[Path]) -> list[str]:
    """Files whose TypeScript has a syntax error (tree-sitter's ERROR or MISSING nodes);
    the slow half compiles every case with tsc and loads it."""
    return [str(f) for f in files if PARSERS[".ts"].parse(f.read_bytes()).root_node.has_error]


def test_every_generated_code_file_compiles(corpus: dict[str, Generated], tmp_path: Path):
    """One node process compiles every .js file as a CommonJS module body (as require
    would); every .ts file parses as TypeScript."""
    code = [p for g in corpus.values() if g.code == 0 for p in _code_files(g.out)]
    assert len(code) > 40 * len(INERT)  # every case produced its whole tree
    assert not _typescript_errors([p for p in code if p.suffix == ".ts"])
    files = [p for p in code if p.suffix == ".js"]
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(str(p) for p in files))
    script = ("const fs = require('fs'); const vm = require('vm'); const bad = [];"
              "const list = fs.readFileSync(process.argv[1], 'utf8').split('\\n');"
              "for (const f of list.filter(Boolean)) {"
              "  try { vm.compileFunction(fs.readFileSync(f, 'utf8'),"
              "    ['exports', 'require', 'module', '__filename', '__dirname'], {filename: f}); }"
              "  catch (e) { bad.push(f + ': ' + e.message); } }"
              "console.log(JSON.stringify(bad)); process.exit(bad.length ? 1 : 0);")
    result = subprocess.run(["node", "-e", script, str(listing)], capture_output=True, text=True,
                            check=False,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def code_tokens(source: bytes, suffix: str = ".js") -> list[str]:
    """The leaves of a JS or TS file that are code: comments and string contents are folded
    to a placeholder, so only spec text that escaped its comment or string shows."""
    tokens: list[str] = []

    def walk(node: Node) -> None:
        if node.type == "comment":
            tokens.append("<comment>")
        elif node.type == "string" and node.is_named:  # not TypeScript's `string` type
            tokens.append("<string>")
        elif node.type in ("string_fragment", "escape_sequence") and \
                node.parent is not None and node.parent.type == "template_string":
            tokens.append("<text>")
        elif node.child_count == 0:
            tokens.append(source[node.start_byte:node.end_byte].decode())
        else:
            for child in node.children:
                walk(child)

    walk(PARSERS[suffix].parse(source).root_node)
    # A longer string can re-wrap an object literal over lines, adding trailing commas.
    return [t for i, t in enumerate(tokens)
            if not (t == "," and i + 1 < len(tokens) and tokens[i + 1] in "}])")]


def _same_code_cases(corpus: dict[str, Generated]) -> list[tuple[Generated, Generated]]:
    pairs = []
    for case in INERT:
        got = corpus[case.name]
        base = baseline_of(case)
        if got.code == 0 and base and got.expect.get("same_code", True):
            base_file = "native.yaml" if base == "native" else "designtool.json"
            pairs.append((got, corpus[base_file]))
    return pairs


def test_spec_text_changes_only_comments_and_strings_in_code(corpus: dict[str, Generated]):
    pairs = _same_code_cases(corpus)
    assert len(pairs) >= 40
    for got, base in pairs:
        files = {p.relative_to(base.out) for p in _code_files(base.out)}
        assert {p.relative_to(got.out) for p in _code_files(got.out)} == files, got.case.name
        for rel in sorted(files):
            ours = code_tokens((got.out / rel).read_bytes(), rel.suffix)
            theirs = code_tokens((base.out / rel).read_bytes(), rel.suffix)
            assert ours == theirs, f"{got.case.name}: {rel} has different code"


# --- inert: shell, Docker, Terraform, Markdown -----------------------------------------


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


SCRIPTS = ("docker-entrypoint.sh", "terraform/deploy.sh")


def test_scripts_parse_and_pass_shellcheck(corpus: dict[str, Generated]):
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is part of the dev toolchain"
    scripts = [g.out / s for g in corpus.values() if g.code == 0 for s in SCRIPTS
               if (g.out / s).exists()]
    assert len(scripts) >= 2 * len(case_files("inert")) - 2 * 12  # design-tool specs: no terraform
    for script in scripts:
        shell = "sh" if script.name == "docker-entrypoint.sh" else "bash"
        parsed = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True,
                                check=False)
        assert parsed.returncode == 0, f"{script}: {parsed.stderr}"
    result = subprocess.run([shellcheck, *map(str, scripts)], capture_output=True, text=True,
                            check=False,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]


def test_spec_text_stays_in_comments_of_scripts_and_dockerfiles(corpus: dict[str, Generated]):
    for got in corpus.values():
        if got.code != 0:
            continue
        for rel in (*SCRIPTS, "Dockerfile", "docker-compose.yml", "terraform/main.tf"):
            if not (got.out / rel).exists():
                continue  # the design-tool format has no terraform option
            text = (got.out / rel).read_text()
            assert not any(str(got.canary) in line for line in _code_lines(text)), \
                f"{got.case.name}: {rel}"
        first = (got.out / "Dockerfile").read_text().splitlines()[0]
        assert not re.match(r"#\s*[A-Za-z][A-Za-z0-9]*\s*=", first), got.case.name
    for got, base in _same_code_cases(corpus):
        for rel in (*SCRIPTS, "Dockerfile"):
            if not (base.out / rel).exists():
                continue
            assert _code_lines((got.out / rel).read_text()) == \
                _code_lines((base.out / rel).read_text()), f"{got.case.name}: {rel}"
        compose = yaml.safe_load((got.out / "docker-compose.yml").read_text())
        expected = yaml.safe_load((base.out / "docker-compose.yml").read_text())
        assert compose["services"].keys() == expected["services"].keys(), got.case.name


@functools.cache
def _hcl(text: str) -> dict:
    """hcl2 is slow and the cases mostly share their Terraform text: parse each once."""
    return hcl2.loads(text)


def terraform_blocks(folder: Path) -> set[tuple[str, ...]]:
    """(file, kind, name...) of every top-level block of every .tf file under `folder`."""
    blocks: set[tuple[str, ...]] = set()
    for path in sorted(folder.rglob("*.tf")):
        doc = _hcl(path.read_text())
        rel = path.relative_to(folder).as_posix()
        for kind in ("resource", "data", "module", "variable", "output", "provider"):
            for entry in doc.get(kind, []):
                for name, body in entry.items():
                    inner = tuple(body) if kind in ("resource", "data") else ()
                    blocks.add((rel, kind, name, *inner))
    return blocks


def test_terraform_holds_only_the_expected_blocks(corpus: dict[str, Generated]):
    expected = terraform_blocks(EXPECTED_TF)
    assert len(expected) > 30
    checked = 0
    for got in corpus.values():
        if got.code == 0 and baseline_of(got.case) == "native":
            assert terraform_blocks(got.out / "terraform") == expected, got.case.name
            checked += 1
        elif got.code == 0:
            assert not (got.out / "terraform").exists() or \
                terraform_blocks(got.out / "terraform") == expected, got.case.name
    assert checked >= 40


def test_markdown_holds_no_html_and_keeps_its_tables(corpus: dict[str, Generated]):
    for got in corpus.values():
        if got.code != 0:
            continue
        for rel in ("README.md", "terraform/README.md"):
            if not (got.out / rel).exists():
                continue
            text = (got.out / rel).read_text()
            assert not re.search(r"<(script|img|b)\b", text), f"{got.case.name}: {rel}"
            table: list[int] = []
            for line in [*text.splitlines(), ""]:
                if line.startswith("|"):
                    table.append(len(_PIPE.findall(line)))
                elif table:
                    assert len(set(table)) == 1, f"{got.case.name}: {rel} table cells"
                    table = []


# --- inert: run what runs first in a container, and the canary -------------------------


def test_entrypoint_runs_and_no_payload_ran(corpus: dict[str, Generated], tmp_path: Path):
    """`docker-entrypoint.sh true` as a container starts it (assembling DATABASE_URL with
    node, migrations off); then every canary folder must still be empty."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "RUN_MIGRATIONS": "false",
           "DB_HOST": "127.0.0.1", "DB_USER": "app", "DB_PASSWORD": "p@ss/word",
           "DB_SSLMODE": "require"}
    for got in corpus.values():
        if got.code != 0:
            continue
        result = subprocess.run(["sh", "docker-entrypoint.sh", "sh", "-c",
                                 'printf %s "$DATABASE_URL"'], cwd=got.out, env=env,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, f"{got.case.name}: {result.stderr}"
        assert result.stdout.startswith("postgres://app:p%40ss%2Fword@127.0.0.1:5432/")
    ran = {g.case.name: sorted(p.name for p in g.canary.iterdir()) for g in corpus.values()}
    assert not any(ran.values()), ran
