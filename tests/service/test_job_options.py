"""A job's options become the engine's: what a tenant may set reaches the run."""

from __future__ import annotations

import pydantic
import pytest

from backforge.engine.options import EngineOptions
from backforge.service.submit import JobOptions


def test_hedging_is_on_unless_a_job_turns_it_off():
    on = JobOptions.model_validate({"provider": "openai"}).generate_options().engine_options()
    off = JobOptions.model_validate({"provider": "openai", "hedge": False}) \
        .generate_options().engine_options()
    assert on.hedge_factor == EngineOptions.hedge_factor and on.hedge_factor is not None
    assert off.hedge_factor is None


def test_the_engine_numbers_behind_it_are_not_a_tenants_to_set():
    with pytest.raises(pydantic.ValidationError, match="hedge_factor"):
        JobOptions.model_validate({"hedge_factor": 1.0})
