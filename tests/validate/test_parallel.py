"""Bulk parsing: forked workers give the same results, and only when it is safe."""

from __future__ import annotations

import os
import threading

from backforge.validate import JavaScriptLanguage, ParsedFile, validate_tree
from backforge.validate.parallel import MIN_PARALLEL_FILES, parse_all, workers_available


def _module(i: int) -> str:
    prev = f"const {{ f{i - 1} }} = require('./m{i - 1}');\n" if i else ""
    return f"{prev}async function f{i}(a, b = {i}) {{ return a + b; }}\nmodule.exports = {{ f{i} }};\n"


def test_parallel_parse_equals_serial_parse() -> None:
    js = JavaScriptLanguage()
    jobs = [(js.parse, f"src/m{i}.js", _module(i)) for i in range(MIN_PARALLEL_FILES + 50)]
    serial = [js.parse(path, content) for _, path, content in jobs]
    assert parse_all(jobs) == serial


def _whose(path: str, source: str) -> ParsedFile:
    return ParsedFile(path, str(os.getpid()))


def test_bulk_parse_runs_in_other_processes_when_safe() -> None:
    if workers_available() < 2:
        assert os.cpu_count() == 1 or threading.active_count() > 1
        return
    jobs = [(_whose, f"f{i}.js", "") for i in range(MIN_PARALLEL_FILES)]
    pids = {p.language for p in parse_all(jobs)}
    assert str(os.getpid()) not in pids and len(pids) >= 1
    assert [p.path for p in parse_all(jobs)] == [p for _, p, _ in jobs]  # order kept


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert workers_available() == 1
        jobs = [(_whose, f"f{i}.js", "") for i in range(MIN_PARALLEL_FILES)]
        assert {p.language for p in parse_all(jobs)} == {str(os.getpid())}
    finally:
        stop.set()
        t.join()


def test_large_project_validates_the_same_in_bulk() -> None:
    files = {f"src/m{i}.js": _module(i) for i in range(MIN_PARALLEL_FILES + 10)}
    files["src/m7.js"] = files["src/m7.js"].replace("f6", "f66")
    issues = validate_tree(files)
    assert [(i.rule, i.file, i.line) for i in issues] == [("import-name-missing", "src/m7.js", 1)]
