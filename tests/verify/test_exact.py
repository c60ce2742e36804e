"""Exact values and request semantics, against a generated app running on a temporary
PostgreSQL (slow), and schemathesis against every bundled example.

Round trips: numeric and bigint travel as strings and come back unchanged; anything
PostgreSQL would round or refuse is a 400 naming the field; bodies must be JSON; PUT
needs a complete body; unserved methods are 405 with Allow; keyset pagination.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from backforge import api
from backforge import plan as planner
from backforge.spec import load as load_spec
from backforge.spec.load import LoadedSpec
from backforge.stacks import get_stack
from backforge.verify.fuzz import fuzz_app
from backforge.verify.http import Client
from backforge.verify.runner import running_app
from tests.conftest import DATA, EXAMPLES, slow_needing
from tests.importers.conftest import CORPUS, CORPUS_FILES, without_unavailable_types

pytestmark = slow_needing("node", "npm", "initdb", "pg_ctl",
                          why="Node + npm, PostgreSQL")

LEDGER = """
name: Ledger
options: {auth: false, tests: false, docker: false, terraform: false, api_prefix: /api}
tables:
  - name: entries
    fields:
      - {name: id, type: bigint, primary_key: true}
      - {name: price, type: decimal, precision: 10, scale: 2, required: true}
      - {name: small, type: decimal, precision: 6, scale: 2}
      - {name: note, type: text}
      - {name: at, type: datetime}
      - {name: data, type: json}
  - name: counters
    fields:
      - {name: id, type: bigint, primary_key: true, auto_increment: true}
      - {name: label, type: string, max_length: 40, required: true}
"""
BIG = 2 ** 53 + 1  # 9007199254740993: a JS number reads it as ...992


def _plan(loaded: LoadedSpec):
    stack = get_stack(loaded.project.stack)
    return planner.build(loaded.project, stack, loaded.names), stack


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    root = tmp_path_factory.mktemp("ledger")
    spec = root / "ledger.yaml"
    spec.write_text(LEDGER)
    out = root / "project"
    assert api.generate(spec, output=out).success
    plan, stack = _plan(load_spec(spec))
    with running_app(out, plan, stack) as app:
        yield Client(app.base_url)


def _fields(res) -> list[str]:
    return [f["field"] for f in res.body["error"]["fields"]]


def test_numeric_and_bigint_round_trip_exactly(ledger: Client) -> None:
    body = {"id": str(BIG), "price": "19.99", "small": "9999.99", "at": "2024-05-01T10:00:00.123456+02:00"}
    created = ledger.call("POST", "/api/entries", body)
    assert created.status == 201, created.body
    assert created.body["id"] == str(BIG) and created.body["price"] == "19.99"
    assert created.body["small"] == "9999.99"
    assert created.body["at"] == "2024-05-01T08:00:00.123456Z"  # same instant, in UTC
    item = f"/api/entries/{BIG}"
    assert created.headers["location"] == item
    fetched = ledger.call("GET", item)
    assert fetched.status == 200 and fetched.body == created.body
    listed = ledger.call("GET", f"/api/entries?id={BIG}")
    assert listed.body["data"] == [created.body]
    assert ledger.call("GET", f"/api/entries/{BIG - 1}").status == 404
    assert ledger.call("DELETE", item).status == 204
    assert ledger.call("GET", item).status == 404


def test_integers_are_accepted_and_come_back_as_strings(ledger: Client) -> None:
    res = ledger.call("POST", "/api/entries", {"id": 7, "price": 20})
    assert res.status == 201 and res.body["id"] == "7" and res.body["price"] == "20.00"
    serial = ledger.call("POST", "/api/counters", {"label": "a"})
    assert serial.status == 201 and isinstance(serial.body["id"], str), serial.body
    assert ledger.call("GET", f"/api/counters/{serial.body['id']}").status == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"id": "1", "price": "19.999"}, "price"),  # more decimals than the scale: never rounded
    ({"id": "1", "price": 19.999}, "price"),  # a JSON float: not exact, refused
    ({"id": "1", "price": "1", "small": "9999.999999999998"}, "small"),  # numeric(6,2)
    ({"id": "1", "price": "1", "small": "10000"}, "small"),  # overflows the precision
    ({"id": "9223372036854775808", "price": "1"}, "id"),  # int8 + 1
    ({"id": 2 ** 53 + 2, "price": "1"}, "id"),  # a JSON integer beyond 2^53 is not exact
    ({"id": "1", "price": "1", "note": "a\u0000b"}, "note"),
    ({"id": "1", "price": "1", "at": "2024-05-01T10:00:00+16:00"}, "at"),
    ({"id": "1", "price": "1", "at": "0000-01-01T00:00:00Z"}, "at"),
    ({"id": "1", "price": "1", "data": {"k": "a\u0000"}}, "data"),
])
def test_values_postgresql_would_round_or_refuse_are_400(ledger: Client, body, field) -> None:
    res = ledger.call("POST", "/api/entries", body)
    assert res.status == 400, res.body
    assert field in _fields(res), res.body


def test_a_6000_deep_json_value_is_400_naming_the_field(ledger: Client) -> None:
    deep = "[" * 6000 + "]" * 6000
    raw = ('{"id": "2", "price": "1", "data": ' + deep + "}").encode()
    res = ledger.call("POST", "/api/entries", raw=raw)
    assert res.status == 400 and "data" in _fields(res), res.body
    ok = ledger.call("POST", "/api/entries", {"id": "3", "price": "1", "data": [[[1]]]})
    assert ok.status == 201 and ok.body["data"] == [[[1]]]


def test_request_semantics(ledger: Client) -> None:
    created = ledger.call("POST", "/api/entries", {"id": "424242", "price": "5.50", "note": "x"})
    assert created.status == 201
    item = "/api/entries/424242"
    assert ledger.call("PUT", item).status == 400  # no body
    assert ledger.call("PUT", item, {}).status == 400  # incomplete: nothing is reset
    assert ledger.call("GET", item).body["note"] == "x"
    full = {"price": "6.00", "small": None, "note": None, "at": None, "data": None}
    assert ledger.call("PUT", item, full).body["price"] == "6.00"
    text = ledger.call("POST", "/api/entries", raw=b"price=1", content_type="text/plain")
    assert text.status == 415, text.body
    assert ledger.call("POST", "/api/entries").status == 400  # required body absent
    trace = ledger.call("TRACE", "/api/entries")
    assert trace.status == 405 and "GET" in trace.headers["allow"]
    assert "POST" in trace.headers["allow"]
    assert ledger.call("TRACE", item).headers.get("allow", "").count("DELETE") == 1
    deep = ledger.call("GET", "/api/entries?offset=10001")
    assert deep.status == 400 and "cursor" in deep.body["error"]["fields"][0]["message"]


def test_keyset_pagination_reads_every_row_once(ledger: Client) -> None:
    for n in range(100, 107):
        assert ledger.call("POST", "/api/counters", {"label": f"row {n % 3}"}).status == 201
    for query in ("", "&sort=label", "&sort=label&order=desc", "&order=desc"):
        seen, cursor = [], None
        expected = ledger.call("GET", f"/api/counters?limit=100{query}").body["data"]
        while True:
            page = ledger.call("GET", f"/api/counters?limit=2&count=false{query}"
                                      + (f"&cursor={quote(cursor)}" if cursor else ""))
            assert page.status == 200, page.body
            assert page.body["meta"]["total"] is None
            seen += page.body["data"]
            cursor = page.body["meta"]["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, query
    other = ledger.call("GET", "/api/counters?limit=1").body["meta"]["next_cursor"]
    wrong = ledger.call("GET", f"/api/counters?limit=1&sort=label&cursor={quote(other)}")
    assert wrong.status == 400 and _fields(wrong) == ["cursor"]
    assert ledger.call("GET", "/api/counters?cursor=bm9wZQ").status == 400


FUZZ_TABLE: list[str] = []


# (source, examples per operation, time budget): the examples and chinook deep (the
# fuzzing and stateful phases repeat until 110 s are spent), every other corpus schema
# one pass of 3 examples per operation (25-60 s each, for the slow suite's CI budget);
# openstreetmap (336 operations, ~6 minutes for one pass) is cut at 60 s.
DEEP = [DATA / s for s in EXAMPLES] + [CORPUS / "chinook.postgres.sql"]
WIDE = [CORPUS / n for n in CORPUS_FILES if n != "chinook.postgres.sql"] \
    or [CORPUS / "every other corpus schema"]
WIDE_BUDGET = {"openstreetmap.postgres.sql": 60}


def _case(source: Path, examples: int, budget: float | None):
    return pytest.param(source, examples, budget, id=source.name)


FUZZED = [_case(p, 10, 110) for p in DEEP] + [_case(p, 3, WIDE_BUDGET.get(p.name))
                                              for p in WIDE]


@pytest.mark.parametrize(("source", "examples", "budget"), FUZZED)
def test_schemathesis_finds_no_server_error_and_no_conformance_failure(
        source: Path, examples: int, budget: float | None, tmp_path: Path) -> None:
    if not source.exists():
        pytest.skip(f"SKIPPED LOUDLY: the shared corpus is not at {source}")
    loaded = load_spec(source)
    if source.suffix == ".sql":
        loaded = without_unavailable_types(loaded)
    out = tmp_path / "project"
    assert api.generate(loaded, output=out).success
    plan, stack = _plan(loaded)
    with running_app(out, plan, stack) as app:
        report = fuzz_app(app.base_url, plan, max_examples=examples, max_time=budget, seed=14)
    phases = dict(report.phases)
    FUZZ_TABLE.append(f"| {source.name} | {report.operations} | {report.cases} | "
                      f"{report.server_errors} | {report.conformance_failures} | "
                      f"{phases.get('stateful')} | {len(report.not_fuzzed)} declared 501 | "
                      f"{examples} | {report.seconds:.0f} s |")
    print("\n| spec | operations | cases | 5xx | conformance failures | stateful | left out | "
          "examples | time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(FUZZ_TABLE))
    assert report.operations > 5 and report.cases > 100
    assert report.success, json.dumps(report.to_dict(), indent=1) + report.output[-4000:]
    # the declared create -> get/replace/update/delete links were followed, not skipped
    assert phases.get("stateful") == "success", report.output[-4000:]
