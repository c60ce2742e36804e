"""Contract-first runs over real HTTP against the fake OpenAI-compatible server: every
unit asked at once with its dependencies' contracts, the same files as the template
provider, and a unit that breaks its contract repaired where the break is."""

from __future__ import annotations

from backforge import api
from backforge.providers.fake_server import FakeLLMServer
from tests.conftest import DATA
from tests.llm.conftest import SMALL_SPEC
from tests.llm.test_runs import TEMPLATE_MODULES, _model_units

FAST = {"backoff_base": 0.01, "call_timeout": 20.0}


def test_every_unit_is_asked_at_once_and_the_files_match_the_templates():
    template = api.generate(DATA / "taskmanager.yaml")
    server = FakeLLMServer(latency_ms=1500)
    with server as url:
        result = api.generate(DATA / "taskmanager.yaml", api.GenerateOptions(
            provider="openai", base_url=url, concurrency=64, **FAST))
    assert result.success
    assert dict(result.files) == dict(template.files)
    units = _model_units(result.report)
    assert len(units) > 20
    # One call per unit, all of them in flight together: no unit waited for another's
    # answer (each call takes 1.5 s; every one started before the first one ended).
    assert server.stats.requests == len(units) == server.stats.peak_in_flight
    firsts = [u["attempts"][0] for u in units]
    assert max(a["started"] for a in firsts) < min(a["started"] + a["duration"] for a in firsts)
    assert all(a["outcome"] == "validated" for a in firsts)


def test_the_dependency_schedule_is_still_available():
    server = FakeLLMServer(latency_ms=50)
    with server as url:
        result = api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, concurrency=64, schedule="dependencies", **FAST))
    assert result.success
    starts = {u["id"]: u["attempts"][0]["started"] for u in _model_units(result.report)}
    # services/books waits for models/books, which waits for database.
    assert starts["database"] < starts["models/books"] < starts["services/books"]
    assert server.stats.peak_in_flight < len(starts)


def _broken_contract_run(schedule: str):
    with FakeLLMServer(latency_ms=2, fault_rate=1.0, faults=("broken-contract",),
                       fault_attempts=1) as url:
        return api.generate(SMALL_SPEC, api.GenerateOptions(
            provider="openai", base_url=url, schedule=schedule, concurrency=4, **FAST))


def test_a_unit_that_breaks_its_contract_is_repaired_at_the_break():
    """Every model unit's first answer renames its first export all through its file: a
    file that is valid by itself. Asked by contracts, the unit's own contract catches it
    and its repair restores the name; nothing downstream is disturbed."""
    result = _broken_contract_run("contracts")
    assert result.success
    for unit in _model_units(result.report):
        assert [a["outcome"] for a in unit["attempts"]] == ["invalid", "validated"], unit["id"]
    books = next(u for u in result.report["units"] if u["id"] == "models/books")
    (issue,) = books["attempts"][0]["issues"]
    assert issue["rule"] == "contract-broken" and "findBooks" in issue["message"]
    services = next(u for u in result.report["units"] if u["id"] == "services/books")
    assert len(services["attempts"]) == 2  # its own break only; models' break never reached it


def test_without_contracts_the_same_break_fails_downstream():
    """For comparison: in dependency order the self-consistent model validates, and the
    service written against its real files cannot repair a name it does not own."""
    result = _broken_contract_run("dependencies")
    assert not result.success
    units = {u["id"]: u for u in result.report["units"]}
    assert units["models/books"]["status"] == "validated"
    assert units["services/books"]["status"] == "partial"
    assert all(u["module"] not in TEMPLATE_MODULES for u in units.values()
               if u["status"] == "blocked")
