"""Each evolution, run on a real PostgreSQL: a database built by the old migrations
(with the sample rows) and migrated up equals one built fresh from the new spec, and
migrated down again equals one built from the old spec (tables, columns, types,
nullability, defaults, identities, comments, every constraint and index by name)."""

from __future__ import annotations

import copy
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from backforge.sql import ddl
from backforge.stacks.express_js.render import project_context
from backforge.verify.postgres import EphemeralPostgres, find_bin
from tests.evolve.cases import CASES, changed
from tests.evolve.catalog import Catalog, read_catalog, run_sql, scalar
from tests.evolve.helpers import base, down_sql, evolve, migrations, plan_of, table, up_sql

pytestmark = pytest.mark.slow
_ids = itertools.count(1)


@pytest.fixture(scope="module")
def pg() -> Iterator[EphemeralPostgres]:
    if find_bin("initdb") is None or find_bin("psql") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, psql) are not installed")
    with EphemeralPostgres() as server:
        yield server


def new_database(pg: EphemeralPostgres) -> str:
    name = f"evolve_{next(_ids)}"
    scalar(pg.url, f'CREATE DATABASE "{name}"')
    return pg.url.rsplit("/", 1)[0] + "/" + name


def built(pg: EphemeralPostgres, spec: dict, *, seeded: bool = False) -> str:
    """A database with every migration of a fresh generation of `spec` applied."""
    url = new_database(pg)
    plan = plan_of(spec)
    for path, sql in migrations(plan).items():
        if path.endswith(".up.sql"):
            run_sql(url, sql)
    if seeded:
        run_sql(url, ddl.seed_sql(project_context(plan)))
    return url


@pytest.fixture(scope="module")
def old_catalog(pg: EphemeralPostgres) -> Catalog:
    return read_catalog(built(pg, base()))


@pytest.mark.parametrize("case", sorted(CASES))
def test_up_reaches_the_new_schema_and_down_the_old(pg, old_catalog, case):
    new = changed(case)
    ev = evolve(base(), new)
    assert ev.files, case
    url = built(pg, base(), seeded=True)
    run_sql(url, up_sql(ev))
    differences = read_catalog(url).differences(read_catalog(built(pg, new)))
    assert differences == {}, f"{case}: migrated up != fresh new schema"
    assert scalar(url, 'SELECT count(*) FROM "tasks"') == "3"  # the sample rows survived
    run_sql(url, down_sql(ev))
    assert read_catalog(url).differences(old_catalog) == {}, f"{case}: down != old schema"


def test_narrowing_truncates_and_says_so(pg):
    ev = evolve(base(), changed("narrow_type"))
    assert ev.destructive
    url = built(pg, base(), seeded=True)
    run_sql(url, up_sql(ev))
    lengths = scalar(url, 'SELECT max(char_length("title")) FROM "tasks"')
    assert lengths == "5"


def test_required_column_without_default_fails_on_rows_and_rolls_back(pg):
    new = base()
    table(new, "tasks")["fields"].append({"name": "weight", "type": "integer", "required": True})
    ev = evolve(base(), new)
    assert any("tasks.weight" in w and "default" in w for w in ev.warnings)
    seeded = built(pg, base(), seeded=True)
    before = read_catalog(seeded)
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_sql(seeded, up_sql(ev))
    assert "weight" in failed.value.stderr
    assert read_catalog(seeded) == before  # one transaction: nothing half-applied
    empty = built(pg, base())
    run_sql(empty, up_sql(ev))
    assert read_catalog(empty).differences(read_catalog(built(pg, new))) == {}


def test_two_evolutions_in_a_row_stack_up(pg):
    """0003 then 0004 (numbered after 0003) reach the twice-changed schema."""
    first, second = changed("add_column"), changed("add_column")
    table(second, "users")["fields"].append({"name": "bio", "type": "text"})
    ev1 = evolve(base(), first)
    existing = (*migrations(plan_of(base())), *(f.path for f in ev1.files))
    ev2 = evolve(first, second, existing)
    assert ev2.files[0].path == "migrations/0004_add_users_bio.up.sql"
    url = built(pg, base(), seeded=True)
    run_sql(url, up_sql(ev1))
    run_sql(url, up_sql(ev2))
    assert read_catalog(url).differences(read_catalog(built(pg, second))) == {}


def test_widening_a_key_that_foreign_keys_reference(pg):
    """shop.yaml: categories.id (identity, referenced by categories.parent_id and the
    product_categories key) becomes bigint; the FK columns follow, keys are rebuilt."""
    shop = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "shop.yaml")
                          .read_text())
    wider = copy.deepcopy(shop)
    next(f for t in wider["tables"] if t["name"] == "categories"
         for f in t["fields"] if f["name"] == "id")["type"] = "bigint"
    ev = evolve(shop, wider)
    assert not ev.destructive
    assert 'TYPE bigint USING "category_id"::bigint' in up_sql(ev)
    url = built(pg, shop, seeded=True)
    run_sql(url, up_sql(ev))
    assert read_catalog(url).differences(read_catalog(built(pg, wider))) == {}
    run_sql(url, down_sql(ev))
    assert read_catalog(url).differences(read_catalog(built(pg, shop))) == {}
