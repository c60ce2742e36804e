"""The response protocol parser: tolerant of what models wrap around JSON, strict on shape."""

from __future__ import annotations

import pytest

from backforge.engine.protocols import GeneratedFile, Generation, RetryableError, Usage
from backforge.providers.llm.protocol import BadResponse, parse_response, render_response

BODY = '{"files": [{"path": "src/a.js", "content": "x"}], "dependencies": {"pg": "^8"}}'


@pytest.mark.parametrize("text", [
    BODY,
    f"```json\n{BODY}\n```",
    f"Sure! Here is the module.\n\n```\n{BODY}\n```\nLet me know.",
    f"Here you go: {BODY} -- done",
    BODY.replace('"x"}]', '"x"},]').replace('"^8"}', '"^8",}'),  # trailing commas
])
def test_repairs_common_wrappings(text):
    gen = parse_response(text, Usage(3, 4))
    assert gen.files == (GeneratedFile("src/a.js", "x"),)
    assert gen.dependencies == {"pg": "^8"}
    assert gen.dev_dependencies == {}
    assert gen.usage == Usage(3, 4)


def test_cleans_leading_dot_slash():
    gen = parse_response('{"files": [{"path": "./src\\\\b.js", "content": ""}]}')
    assert gen.files[0].path == "src/b.js"


@pytest.mark.parametrize("text, reason", [
    ('{"files": [{"path": "src/a.js", "content": "x"', "no parseable JSON"),  # truncated
    ("I cannot help with that.", "no parseable JSON"),
    ('{"file": []}', 'no "files" list'),
    ('{"files": [{"path": "a.js"}]}', 'files[0] needs string "path" and "content"'),
    ('{"files": [], "dependencies": {"pg": 8}}', '"dependencies" must map'),
    ("[1, 2]", "not a JSON object"),
])
def test_beyond_repair_is_a_retryable_bad_response(text, reason):
    with pytest.raises(BadResponse) as info:
        parse_response(text)
    assert isinstance(info.value, RetryableError) and info.value.retryable
    assert reason in str(info.value)
    assert str(info.value).startswith("bad response:")


def test_render_round_trips():
    gen = Generation((GeneratedFile("a.js", 'const s = "}`\\n";'),), {"pg": "^8"}, {"jest": "^29"})
    back = parse_response(render_response(gen))
    assert back.files == gen.files
    assert back.dependencies == {"pg": "^8"} and back.dev_dependencies == {"jest": "^29"}
