"""Access inference on every corpus schema with auth turned on: which table holds the
accounts (or none, and then `auth: true` is an exit-2 error naming the fix) and which
owner chains were found. Expectations: tests/importers/data/corpus_access.yaml."""

from __future__ import annotations

import pytest
import yaml

from backforge.errors import SpecError
from backforge.spec import load
from backforge.spec.loaders.dump import project_data
from backforge.spec.policy import resolve_with_problems
from backforge.spec.policy_model import NoteKind, path_text
from tests.importers.conftest import CORPUS_FILES, DATA

EXPECTED = yaml.safe_load((DATA / "corpus_access.yaml").read_text(encoding="utf-8"))


def test_every_corpus_file_has_expectations():
    assert set(EXPECTED) == set(CORPUS_FILES) or not CORPUS_FILES


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_users_table_and_owner_chains(corpus, name):
    project = load(corpus / name).project
    assert not project.options.auth  # imports never turn auth on by themselves
    on = project.model_copy(update={"options": project.options.model_copy(
        update={"auth": True})})
    policy, problems = resolve_with_problems(on)
    want = EXPECTED[name]
    if want["users_table"] is None:
        assert policy.accounts is None
        assert [p.path for p in problems] == ["options.auth"]
        assert "no table holds the accounts" in problems[0].message
        assert "access.users.table" in problems[0].hint
        return
    assert problems == []
    assert policy.accounts.table == want["users_table"]
    assert {t.table: path_text(t.owner_path) for t in policy.tables if t.owner_path} == \
        want["owners"]
    assert [n.table for n in policy.notes if n.kind is NoteKind.AMBIGUOUS] == \
        want["ambiguous"]


def test_openstreetmap_users_secrets_and_added_role(corpus):
    name = "openstreetmap.postgres.sql"
    project = load(corpus / name).project
    on = project.model_copy(update={"options": project.options.model_copy(
        update={"auth": True})})
    policy, _ = resolve_with_problems(on)
    users = policy.table("users")
    assert users.field_rule("pass_crypt").access.value == "secret"
    assert policy.accounts.login_field == "email" and policy.accounts.role_field_added


def test_naming_a_users_table_without_a_unique_login_is_an_error(corpus):
    project = load(corpus / "pagila.postgres.sql").project
    data = project_data(project)  # what `backforge import` writes: auth left out
    data["access"] = {"users": {"table": "staff", "login": "username"}}
    with pytest.raises(SpecError) as err:
        load(data)
    assert "access.users.login: 'staff.username' is not unique" in str(err.value)
