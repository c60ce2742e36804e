"""bench/serve.py on a few jobs: every job ends succeeded with every unit validated, none
lost, none duplicated. No timing thresholds (those are the bench table's)."""

from __future__ import annotations

import pytest
from bench import serve as bench


def test_concurrent_jobs_through_the_embedded_server_lose_and_duplicate_nothing():
    results, wall = bench.run(jobs=4, workers=2)
    s = bench.summary(results, 4, wall)
    assert s["succeeded"] == 4 and s["lost"] == 0 and s["duplicated"] == 0, s
    assert all(r.units > 20 and r.validated == r.units for r in results)
    assert len({r.job_id for r in results}) == 4
    assert s["p50_s"] <= s["p95_s"]


@pytest.mark.slow  # Redis and two Celery worker processes
def test_concurrent_jobs_through_two_celery_workers_lose_and_duplicate_nothing():
    results, wall = bench.run(jobs=4, workers=2, celery=True)
    s = bench.summary(results, 4, wall)
    assert s["succeeded"] == 4 and s["lost"] == 0 and s["duplicated"] == 0, s


@pytest.mark.slow  # PostgreSQL, Redis and two Celery worker processes
def test_concurrent_jobs_on_the_postgresql_store_lose_and_duplicate_nothing():
    for celery in (False, True):
        results, wall = bench.run(jobs=4, workers=2, celery=celery, postgres=True)
        s = bench.summary(results, 4, wall)
        assert s["succeeded"] == 4 and s["lost"] == 0 and s["duplicated"] == 0, (celery, s)
