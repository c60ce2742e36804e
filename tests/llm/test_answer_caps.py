"""Issue 12 part 3: answer caps where answers are parsed, and repair prompts that resend a
bounded excerpt of a failed answer (a 50 MB answer once cost 52 M prompt tokens)."""

from __future__ import annotations

import json

import pytest

from backforge.engine.protocols import GeneratedFile, Generation, Issue, Usage
from backforge.providers.hybrid_prompt import parse_answer
from backforge.providers.llm.cache import ResponseCache
from backforge.providers.llm.prompts import (
    MAX_REPAIR_CHARS,
    MAX_REPAIR_FILE_CHARS,
    MAX_REPAIR_ISSUES,
    build_prompt,
    repair_excerpt,
)
from backforge.providers.llm.protocol import (
    EXTRA_FILES,
    MAX_ANSWER_BYTES,
    BadResponse,
    file_cap,
    parse_response,
)
from backforge.providers.llm.settings import ConfiguredProvider, LLMSettings, Reply
from tests.llm.conftest import template_context


def _answer(n_files: int, size: int = 10) -> str:
    return json.dumps({"files": [{"path": f"src/f{i}.js", "content": "x" * size}
                                 for i in range(n_files)]})


def test_an_answer_over_the_byte_cap_is_a_retryable_bad_response() -> None:
    huge = _answer(1, 50_000_000)
    with pytest.raises(BadResponse, match="over the cap of 2,000,000 bytes") as info:
        parse_response(huge)
    assert info.value.retryable and len(str(info.value)) < 400
    # Multi-byte text counts in bytes, not characters.
    with pytest.raises(BadResponse):
        parse_response(_answer(1, 0).replace('""', '"' + "é" * (MAX_ANSWER_BYTES // 2 + 1) + '"'))
    assert parse_response(_answer(1, MAX_ANSWER_BYTES - 100)).files


def test_an_answer_over_the_file_cap_is_a_retryable_bad_response() -> None:
    cap = file_cap(5)
    assert cap == 5 + EXTRA_FILES
    assert len(parse_response(_answer(cap), max_files=cap).files) == cap
    with pytest.raises(BadResponse, match=f"{cap + 1} files, over the cap of {cap}"):
        parse_response(_answer(cap + 1), max_files=cap)
    assert len(parse_response(_answer(cap + 1)).files) == cap + 1  # no cap unless asked


def test_hybrid_answers_have_the_byte_cap_too() -> None:
    with pytest.raises(BadResponse, match="over the cap"):
        parse_answer(json.dumps({"functions": [{"name": "f", "body": "x" * 3_000_000}]}))


class _Canned(ConfiguredProvider):
    """A provider whose transport returns a fixed answer (the cap logic is under test)."""

    name = "canned"
    default_key_env = "NONE"
    default_base_url = "http://127.0.0.1:9"
    default_model = "m"

    def __init__(self, text: str, cache: ResponseCache) -> None:
        super().__init__(LLMSettings(api_key="k"), cache=cache)
        self.text = text
        self.sent = 0

    def request(self, prompt):
        return {"user": prompt.user}

    async def send(self, payload):
        self.sent += 1
        return Reply(self.text, Usage(10, 20))


async def test_a_unit_answer_over_its_file_cap_is_refused_and_never_cached(tmp_path,
                                                                          task_plan) -> None:
    unit = task_plan.units["models/tasks"]
    cap = file_cap(len(set(unit.required) | set(unit.critical)))
    cache = ResponseCache(tmp_path / "c.sqlite3")
    provider = _Canned(_answer(cap + 1), cache)
    ctx = template_context(task_plan, unit.id)
    with pytest.raises(BadResponse, match="over the cap") as info:
        await provider.generate(unit, ctx)
    assert info.value.usage == Usage(10, 20)  # the refused answer still cost its tokens
    assert cache.count() == 0 and provider.sent == 1


def test_a_repair_prompt_resends_a_bounded_excerpt(task_plan) -> None:
    unit = task_plan.units["models/tasks"]
    flagged = GeneratedFile("src/models/tasks.js", "const x = (;\n" + "y" * 50_000_000)
    noise = tuple(GeneratedFile(f"src/models/n{i}.js", "z" * 30_000) for i in range(20))
    previous = Generation((*noise, flagged))
    issues = tuple(Issue("js-syntax", "m" * 5_000, "src/models/tasks.js", i, hint="h" * 5_000)
                   for i in range(10_000))
    ctx = template_context(task_plan, unit.id, attempt=2, previous=previous, issues=issues)
    user = build_prompt(unit, ctx).user
    fresh = build_prompt(unit, template_context(task_plan, unit.id)).user
    assert len(user) - len(fresh) < MAX_REPAIR_CHARS + MAX_REPAIR_ISSUES * 1_000 + 2_000
    # The file with issues comes first, cut, and says so; the rest fill what is left.
    assert "--- src/models/tasks.js\nconst x = (;" in user
    assert "[cut: " in user and "more characters]" in user
    assert user.count("[js-syntax]") == MAX_REPAIR_ISSUES
    assert f"({10_000 - MAX_REPAIR_ISSUES} more issue(s) not shown" in user
    assert "more file(s) of that answer not shown" in user


def test_the_excerpt_keeps_small_repairs_whole() -> None:
    files = (GeneratedFile("a.js", "1"), GeneratedFile("b.js", "2"))
    issues = (Issue("r", "msg", "b.js", 1),)
    excerpt = repair_excerpt(files, issues)
    assert [f.path for f in excerpt.files] == ["b.js", "a.js"]  # flagged first
    assert excerpt.issues == issues and (excerpt.omitted_files, excerpt.omitted_issues) == (0, 0)
    big = repair_excerpt((GeneratedFile("a.js", "q" * 10 * MAX_REPAIR_FILE_CHARS),), ())
    assert len(big.files[0].content) < MAX_REPAIR_FILE_CHARS + 100
