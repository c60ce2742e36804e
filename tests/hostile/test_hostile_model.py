"""Issue 12 part 3 / issue 11 part 4: a hostile model, over real HTTP (the fake
OpenAI-compatible server), answering each unit's first request with files outside the
unit's declared paths, an install hook, forbidden APIs, 100,000 files or 50 MB.

For every case: the run converges (the repair answer is clean), nothing outside the
units' declared paths is on disk, package.json has no install script and only the
stack's packages, and the report holds each violation with its file, line and rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backforge import api
from backforge import plan as planner
from backforge.output.manifest import load_manifest
from backforge.providers.fake_faults import FORBIDDEN_SNIPPETS, PLANTED
from backforge.providers.fake_server import FakeLLMServer
from backforge.stacks import get_stack
from backforge.stacks.express_js.boundary import SCRIPTS
from backforge.stacks.express_js.deps import VERSIONS
from tests.llm.conftest import SMALL_SPEC

FAST = {"backoff_base": 0.01, "call_timeout": 60.0, "concurrency": 4}
# The rule each planted path must be reported under (NUL, over-long, absolute and `..`
# paths are the engine's own unsafe-path check).
PLANTED_RULES = {
    ".backforge/manifest.json": "path-reserved",
    ".backforge/base/src/app.js.base": "path-reserved",
    ".git/hooks/pre-commit": "path-reserved",
    ".npmrc": "path-forbidden",
    ".yarnrc.yml": "path-forbidden",
    "node_modules/.bin/jest": "path-forbidden",
    ".env": "path-forbidden",
    "src/package.json": "manifest-outside-config",
    "../x": "unsafe-path",
    "/etc/x": "unsafe-path",
    "src/a\x00b.js": "unsafe-path",
    "src/" + "n" * 300 + ".js": "unsafe-path",
}
# The rule of each line of FORBIDDEN_SNIPPETS.
SNIPPET_RULES = ("unsafe-child-process", "unsafe-eval", "unsafe-function-constructor",
                 "unsafe-vm", "unsafe-worker", "unsafe-native", "unsafe-fs-write",
                 "unsafe-network", "unsafe-env-read", "unsafe-dynamic-require",
                 "unsafe-dynamic-access")


def _declared() -> set[str]:
    loaded = api.load(SMALL_SPEC)
    the_plan = planner.build(loaded.project, get_stack("express-js"), loaded.names)
    return {p for u in the_plan.units.values() for p in (*u.required, *u.critical)}


def _run(tmp_path: Path, kind: str) -> tuple[api.GenerateResult, Path, FakeLLMServer]:
    out = tmp_path / "out"
    server = FakeLLMServer(latency_ms=1, fault_rate=1.0, faults=(kind,), fault_attempts=1)
    with server as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(provider="openai", base_url=url,
                                                               cache=False, **FAST),
                              output=out)
    return result, out, server


def _on_disk(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and ".backforge" not in p.relative_to(out).parts}


def _first_attempts(report: dict) -> dict[str, dict]:
    return {u["id"]: u["attempts"][0] for u in report["units"] if u["attempts"]}


def _assert_contained(result: api.GenerateResult, out: Path) -> None:
    assert result.success, result.report.get("units")
    assert _on_disk(out) <= _declared()
    assert not (out.parent / "x").exists()
    for planted in (".yarnrc.yml", ".env", ".git", "node_modules", "src/package.json"):
        assert not (out / planted).exists(), planted
    # The project has its own .npmrc (ignore-scripts, from the templates), never the model's.
    assert (out / ".npmrc").read_text() != PLANTED[".npmrc"]
    # backforge's own bookkeeping is backforge's: the manifest loads and names every unit,
    # the base copy of src/app.js is the file written, not the planted one.
    manifest = load_manifest(out)
    assert manifest is not None and manifest.files and "config" in manifest.units
    base = out / ".backforge" / "base" / "src" / "app.js.base"
    assert not base.exists() or base.read_text() == (out / "src" / "app.js").read_text()
    package = json.loads((out / "package.json").read_text())
    assert set(package["scripts"].items()) <= set(SCRIPTS.items())
    for section in ("dependencies", "devDependencies"):
        assert set(package.get(section, {})) <= set(VERSIONS)


def test_planted_paths_are_reported_and_never_written(tmp_path: Path) -> None:
    assert set(PLANTED_RULES) == set(PLANTED)  # every planted path has its expected rule
    assert not Path("/etc/x").exists()
    result, out, _ = _run(tmp_path, "planted-paths")
    _assert_contained(result, out)
    assert not Path("/etc/x").exists()
    firsts = _first_attempts(result.report)
    model_units = [uid for uid, a in firsts.items() if a["outcome"] == "invalid"]
    assert model_units, "every unit the model wrote got the planted files first"
    for uid in model_units:
        found = {(i["file"], i["rule"]) for i in firsts[uid]["issues"]
                 if i["severity"] == "error"}
        for path, rule in PLANTED_RULES.items():
            assert (path, rule) in found, (uid, path, rule)
    # The report on disk holds them too (JSON survives the NUL byte).
    saved = json.loads((out / ".backforge" / "report.json").read_text())
    assert any(i["file"] == "src/a\x00b.js" for u in saved["units"] for a in u["attempts"]
               for i in a["issues"])


def test_an_install_hook_and_unknown_packages_never_reach_package_json(tmp_path: Path) -> None:
    result, out, _ = _run(tmp_path, "install-hook")
    _assert_contained(result, out)
    firsts = _first_attempts(result.report)
    # package.json and its lockfile come from the templates (providers/routing.py): the model
    # is never asked for the config unit (its rules on a model's package.json are pinned in
    # tests/validate/test_boundary.py), and a package.json from any other unit is refused.
    assert firsts["config"]["outcome"] == "validated" and not firsts["config"]["issues"]
    others = [a for uid, a in firsts.items() if uid != "config" and a["outcome"] == "invalid"]
    assert others and all(
        ("manifest-outside-config", "package.json") in {(i["rule"], i["file"])
                                                        for i in a["issues"]}
        for a in others)


def test_forbidden_apis_are_reported_at_their_file_and_line(tmp_path: Path) -> None:
    result, out, _ = _run(tmp_path, "forbidden-api")
    _assert_contained(result, out)
    for path in _on_disk(out):
        if path.endswith(".js"):
            text = (out / path).read_text()
            assert "backforge-pwned" not in text and "evil" not in text, path
    checked = 0
    for unit in result.report["units"]:
        first = unit["attempts"][0]
        js = [p for p in first["files"] if p.endswith(".js")]
        if first["outcome"] != "invalid" or not js:
            continue
        # The fault appends the snippets to the answer's first JS file, or writes them
        # from line 1 of src/utils/pwn.js when the unit has none (undeclared there too).
        target = js[0]
        base = result.files[target].rstrip("\n").count("\n") + 1 \
            if target in result.files else 0
        found = {(i["rule"], i["file"], i["line"]) for i in first["issues"]}
        for k, rule in enumerate(SNIPPET_RULES):
            if rule == "unsafe-env-read" and target == "src/utils/config.js":
                continue  # the config module may read the environment
            assert (rule, target, base + 1 + k) in found, (unit["id"], rule, FORBIDDEN_SNIPPETS[k])
        checked += 1
    assert checked >= 5


# 100,000 files are ~6 MB of JSON: the byte cap answers first (the count cap has its own
# test in tests/llm/test_answer_caps.py). Slow: ~16 answers of 6-50 MB over HTTP.
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "reason"), [("many-files", "over the cap of 2,000,000 bytes"),
                                              ("huge-answer", "over the cap of 2,000,000 bytes")])
def test_over_cap_answers_are_retryable_protocol_errors(tmp_path: Path, kind: str,
                                                        reason: str) -> None:
    result, out, server = _run(tmp_path, kind)
    _assert_contained(result, out)
    assert not (out / "src" / "junk").exists() and not (out / "src/utils/huge.js").exists()
    firsts = _first_attempts(result.report)
    capped = [a for a in firsts.values() if a["outcome"] == "error"]
    assert capped and all(reason in a["error"] for a in capped)
    # A 50 MB answer is slow enough over HTTP to be hedged: the hedge is that unit's second
    # request (never faulted here), and when it wins the attempt is not an error. Every
    # faulted first request is either a capped attempt or a hedge's lost race.
    rescued = [a for a in firsts.values() if a["hedged"] is not None and a["outcome"] != "error"]
    assert len(capped) + len(rescued) == server.stats.faults[kind]
