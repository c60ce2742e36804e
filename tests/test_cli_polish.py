"""CLI polish: did-you-mean, every input kind in errors, defaults in help, next steps,
paths never split in non-TTY output, `backforge schema` and `backforge doctor`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from backforge import load
from backforge.cli import _parser, main
from backforge.doctor import MIN_NODE
from backforge.spec.json_schema import spec_json_schema
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "backforge-spec.schema.json"
BACKFORGE = Path(sys.executable).with_name("backforge")


def _error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(("argv", "suggestion"), [
    (["generat", "x.yaml"], "did you mean 'generate'?"),
    (["valdate", "d"], "did you mean 'validate'?"),
    (["doctr"], "did you mean 'doctor'?"),
    (["generate", "--provder", "openai", "x.yaml"], "did you mean '--provider'?"),
    (["generate", "--provider", "opnai", "x.yaml"], "did you mean 'openai'?"),
    (["verify", "d", "--jsn"], "did you mean '--json'?"),
    (["fake-llm", "--latncy-ms", "3"], "did you mean '--latency-ms'?"),
    (["--verson"], "did you mean '--version'?"),
])
def test_mistyped_commands_and_options_get_a_suggestion(argv, suggestion, capsys):
    assert suggestion in _error(argv, capsys)


def test_two_typos_get_one_suggestion_each(capsys):
    err = _error(["generate", "--concurency=3", "--jsn", "x.yaml"], capsys)
    assert "'--concurency': did you mean '--concurrency'?" in err
    assert "'--jsn': did you mean '--json'?" in err


def test_nothing_close_gets_no_invented_suggestion(capsys):
    err = _error(["zzzzqqq"], capsys)
    assert "invalid choice: 'zzzzqqq'" in err and "did you mean" not in err


def test_unsupported_extension_lists_every_accepted_input_kind(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# not a spec\n")
    assert main(["generate", str(readme), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    for suffix in (".yaml", ".yml", ".json", ".sql", ".dbml"):
        assert suffix in err, err
    assert not (tmp_path / "out").exists()


def _options(parser):
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                yield from ((f"{name} {opt}", a, sub) for opt, a, _ in _options(sub))
        elif action.option_strings:
            yield action.option_strings[-1], action, parser


def test_every_option_has_help_text_and_shows_its_default():
    for name, action, parser in _options(_parser()):
        assert action.help, f"{name} has no help text"
        if action.default in (None, False, [], "==SUPPRESS==") or action.nargs == 0:
            continue
        shown = " ".join(parser.format_help().split())
        assert f"(default: {action.default})" in shown or "(default:" in " ".join(
            action.help.split()), f"{name}: its default {action.default!r} is not shown"


def test_provider_help_names_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["generate", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "who writes the files" in out and "(default: template)" in out


def test_successful_generate_prints_next_steps_and_never_splits_the_path(tmp_path):
    out = tmp_path / ("a-rather-long-folder-name-" * 3) / "task-manager-output"
    proc = subprocess.run([str(BACKFORGE), "generate", str(DATA / "taskmanager.yaml"),
                           "-o", str(out)], capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "60"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    success = next(line for line in lines if line.startswith("success:"))
    assert success.endswith(f"-> {out}")  # the whole path on the success line
    steps = lines[lines.index("next steps:") + 1:]
    assert steps[0].strip().startswith(f"backforge verify {out}")
    assert f"cd {out}" in [s.strip() for s in steps]
    assert any("docker compose up" in s for s in steps)
    assert any("JWT_SECRET" in s for s in steps)  # auth on: compose refuses the example
    assert any("http://127.0.0.1:3000/docs" in s for s in steps)
    compose = (out / "docker-compose.yml").read_text()
    assert ":3000" in compose  # the port the next steps name is the one compose publishes


def test_json_output_has_no_next_steps(tmp_path, capsys):
    assert main(["generate", str(DATA / "shop.yaml"), "-o", str(tmp_path / "s"),
                 "--json"]) == 0
    out = capsys.readouterr().out
    assert "next steps" not in out
    assert all(json.loads(line) for line in out.splitlines())


# --- backforge schema -------------------------------------------------------------------

def test_schema_command_prints_the_committed_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(SCHEMA_FILE.read_text()), (
        "schema/backforge-spec.schema.json is stale: run "
        "`backforge schema -o schema/backforge-spec.schema.json`")
    assert printed == spec_json_schema()


def test_schema_to_an_unwritable_path_is_a_clear_error(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path / "missing" / "s.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_schema_output_file(tmp_path):
    target = tmp_path / "s.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text()) == spec_json_schema()


@pytest.mark.parametrize("spec", [ROOT / "examples" / "taskmanager.yaml",
                                  DATA / "taskmanager.yaml", DATA / "shop.yaml"])
def test_examples_point_editors_at_the_schema_and_satisfy_it(spec: Path):
    first = spec.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (spec.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == SCHEMA_FILE.resolve()
    jsonschema.validate(yaml.safe_load(spec.read_text()), json.loads(SCHEMA_FILE.read_text()))


@pytest.mark.parametrize(("field", "why"), [
    ({"name": "x", "type": "string", "maxlength": 3}, "unknown key"),
    ({"name": "x", "type": "string", "max_length": 0}, "max_length must be > 0"),
    ({"name": "x"}, "type is required"),
])
def test_the_schema_rejects_what_the_loader_rejects(field, why):
    spec = {"name": "p", "tables": [{"name": "t", "fields": [field]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(spec, spec_json_schema())


def test_the_schema_accepts_sql_type_spellings_and_lower_case_methods():
    spec = {"name": "p", "tables": [{"name": "t", "fields": [
        {"name": "id", "type": "SERIAL", "primary_key": True},
        {"name": "n", "type": "VARCHAR(20)"}]}],
        "endpoints": [{"method": "get", "path": "/t/stats"}]}
    jsonschema.validate(spec, spec_json_schema())
    loaded = load(spec)  # the loader accepts it too
    assert loaded.project.tables[0].fields[1].max_length == 20


# --- backforge doctor -------------------------------------------------------------------

def test_doctor_reports_every_tool_on_this_machine():
    proc = subprocess.run([str(BACKFORGE), "doctor", "--json"], capture_output=True,
                          text=True, check=False)
    data = json.loads(proc.stdout)
    names = {c["name"] for c in data["checks"]}
    assert {"node", "npm", "initdb", "pg_ctl", "postgres", "git", "shellcheck", "terraform",
            "redis-server", "chromium", "chromedriver", "LLM response cache",
            "node_modules cache"} <= names
    assert proc.returncode == (0 if data["ok"] else 1)
    for check in data["checks"]:
        assert check["ok"] or check["fix"], check


def test_doctor_with_an_empty_path_shows_the_fixes_and_exits_1(tmp_path):
    env = {"PATH": "", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([str(BACKFORGE), "doctor"], capture_output=True, text=True,
                          check=False, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    for tool in ("node", "npm", "git"):
        line = next(line for line in out.splitlines() if line.split()[1:2] == [tool])
        assert line.startswith("MISSING"), line
    assert f"fix: install Node.js {MIN_NODE} or newer" in out
    assert "fix: install git" in out
    assert "absent  shellcheck" in out  # optional: reported, does not fail the run
    assert "not ready: node, npm, git" in out
    pg = Path("/usr/lib/postgresql")
    if not any(pg.glob("*/bin/initdb")):
        assert "MISSING initdb" in out and "/usr/lib/postgresql/<version>/bin" in out
    else:  # verify finds the Debian folder's binaries without PATH; the doctor says so
        assert "(not on PATH; verify finds it in the Debian folder)" in out
    assert "(will be created)" in out  # the cache folders under the temp home


def test_doctor_flags_an_unwritable_cache_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker / "sub"),
           "BACKFORGE_CACHE_DIR": str(blocker / "llm")}
    proc = subprocess.run([str(BACKFORGE), "doctor", "--json"], capture_output=True,
                          text=True, check=False, env=env)
    data = json.loads(proc.stdout)
    caches = [c for c in data["checks"] if "cache" in c["name"]]
    assert caches and all(not c["ok"] and "writable" in c["fix"] for c in caches)
    assert proc.returncode == 1 and data["ok"] is False
