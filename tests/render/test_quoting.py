"""The quoting filters with hostile payloads, and SpecText's refusal to print unquoted."""

from __future__ import annotations

import json
import re
import subprocess

import hcl2
import jinja2
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backforge import render
from backforge.render import quoting as q
from backforge.render.quoting import SpecText, UnquotedSpecText
from backforge.stacks.express_js.render import environment

HOSTILE = [
    "a */ b", "line\nbreak", "cr\rhere", "ls\u2028here", "ps\u2029here", "nul\x00here",
    "${process.exit(1)}", "`touch x`", "$(touch x)", "%{ if true }x%{ endif }",
    "rtl\u202eevil\u2066iso\u2069", "zero\u200bwidth\u200d\ufeff", 'dq"', "sq'", "back\\slash",
    "tag\U000e0041", "del\x7f nel\x85 vt\x0b",
]
NO_NUL = [p for p in HOSTILE if "\x00" not in p]
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
                     "\U000e0000-\U000e007f]")


def test_public_surface():
    assert render.__all__ == ["FILTERS", "SpecText", "UnquotedSpecText", "finalize", "spec_text"]


@pytest.mark.parametrize("payload", HOSTILE)
def test_js_string_round_trips_in_node_and_hides_nothing(payload: str):
    literal = q.js_string(payload)
    assert not _HIDDEN.search(literal)
    out = subprocess.run(["node", "-e", f"process.stdout.write(JSON.stringify({literal}))"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == payload


def _js_string_per_character(value: str) -> str:
    """js_string's rule applied to every character, without its ASCII shortcut."""
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    body = "".join(q._js_escape(ch) if ch in q._LINE_BREAKS or q._hidden(ch) else ch
                   for ch in body)
    return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"


@pytest.mark.parametrize("value", [chr(c) for c in range(128)] + HOSTILE
                         + ["plain ascii", "a\x7fb", "caf\u00e9", ""])
def test_js_string_shortcut_equals_the_per_character_rule(value: str):
    assert q.js_string(value) == _js_string_per_character(value)


@given(st.text())
def test_js_string_shortcut_equals_the_per_character_rule_for_any_text(value: str):
    assert q.js_string(value) == _js_string_per_character(value)


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("name", ["js_line_comment", "js_block_comment", "hash_comment",
                                  "dockerfile_comment", "md_text"])
def test_one_line_filters_keep_one_visible_line(name: str, payload: str):
    out = q.FILTERS[name](payload)
    assert "\n" not in out and "\r" not in out and not _HIDDEN.search(out)
    if name == "js_block_comment":
        assert "*/" not in out


def test_comments_escape_hidden_characters_visibly():
    assert q.js_line_comment("a\u202eb\x00c\u200b") == "a\\u{202e}b\\u{0}c\\u{200b}"
    assert q.hash_comment("x\n\u2028\r\ny") == "x y"


def test_js_comments_stay_comments_in_node():
    payload = "x */ throw new Error('ran'); /* \n throw new Error('ran2') \u2028 throw 3"
    source = (f"/** {q.js_block_comment(payload)} */\n// {q.js_line_comment(payload)}\n"
              "process.stdout.write('ok');")
    assert subprocess.run(["node", "-e", source], capture_output=True, text=True,
                          check=True).stdout == "ok"


@pytest.mark.parametrize("payload", NO_NUL)
def test_shell_word_and_comment_are_inert_in_sh(payload: str, tmp_path):
    script = f"# {q.shell_comment(payload)}\nprintf %s {q.shell_word(payload)}\n"
    out = subprocess.run(["sh", "-c", script], capture_output=True, cwd=tmp_path, check=True)
    assert out.stdout.decode() == payload
    assert list(tmp_path.iterdir()) == []  # `touch x` did not run


@pytest.mark.parametrize("payload", NO_NUL)
def test_hcl_string_round_trips_without_interpolation(payload: str):
    doc = hcl2.loads(f"# {q.hcl_comment(payload)}\nlocals {{\n  v = {q.hcl_string(payload)}\n}}\n")
    assert [k for k in doc if k != "__comments__"] == ["locals"]
    assert [k for k in doc["locals"][0] if not k.startswith("__")] == ["v"]
    assert "${" not in q.hcl_string(payload).replace("$${", "")
    assert "%{" not in q.hcl_string(payload).replace("%%{", "")


@pytest.mark.parametrize("payload", HOSTILE)
def test_yaml_scalar_round_trips(payload: str):
    text = f"# {q.yaml_comment(payload)}\nkey: {q.yaml_scalar(payload)}\n"
    assert yaml.safe_load(text) == {"key": payload}


@pytest.mark.parametrize("payload", NO_NUL + ["x'); DROP TABLE t; --"])
def test_sql_literal_and_identifier(payload: str):
    assert q.sql_literal(payload) == "'" + payload.replace("'", "''") + "'"
    assert q.sql_ident('a"b') == '"a""b"'


def test_nul_cannot_be_quoted_for_sql_or_shell():
    for quote in (q.sql_literal, q.sql_ident, q.shell_word):
        with pytest.raises(ValueError, match="NUL"):
            quote("a\x00b")


def test_dockerfile_comment_cannot_be_a_parser_directive():
    assert q.dockerfile_comment("syntax=evil/frontend") == '"syntax=evil/frontend"'
    assert q.dockerfile_comment("Shop = great") == '"Shop = great"'
    assert q.dockerfile_comment("Task Manager") == "Task Manager"


def test_markdown_text_is_literal_inline_text():
    out = q.md_text("# <script>x</script> | [a](javascript:b) `c` & d\ne")
    assert out == ("\\# &lt;script&gt;x&lt;/script&gt; \\| \\[a\\](javascript:b) \\`c\\` "
                   "&amp; d e")
    assert q.md_code("a``b") == "```a``b```"
    assert q.md_code("`x") == "`` `x ``"


def test_filters_return_plain_str():
    for name, quote in q.FILTERS.items():
        out = quote(SpecText("x"))
        assert type(out) is str, name


def test_spec_text_keeps_its_mark_through_transformations():
    text = SpecText(" Mixed Case. ")
    for derived in (text.strip(), text.lower(), text.replace("M", "m"), text[1:], text + "!",
                    "!" + text, text.rstrip(".")):
        assert isinstance(derived, SpecText)


def test_template_refuses_unquoted_spec_text():
    env = environment()
    with pytest.raises(UnquotedSpecText, match="quoting filter"):
        env.from_string("// {{ s }}").render(s=SpecText("x */ y"))
    with pytest.raises(UnquotedSpecText):
        env.from_string("// {{ s | lower | trim }}").render(s=SpecText("x"))
    assert env.from_string("// {{ s | js_line_comment }}").render(s=SpecText("a\nb")) == "// a b"
    assert env.from_string("{{ s }}").render(s="plain names pass") == "plain names pass"


def test_every_filter_is_registered_in_the_environment():
    env = environment()
    assert set(q.FILTERS) <= set(env.filters)
    assert isinstance(env, jinja2.Environment) and env.finalize is q.finalize
