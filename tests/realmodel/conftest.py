"""The real-model tier: runs only when scripts/realmodel.sh has started a local model (SCENARIST_REALMODEL_BASE_URL).

`scripts/realmodel.sh` builds/starts the model, runs `pytest -m realmodel tests/realmodel` and fails when the model
cannot be set up; the ordinary suite (`make test`) deselects them: they run in CI as their own tier after it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.realmodel.service import RealModel, create_example_agent, scenarist_service

EXAMPLE_AGENT = Path(__file__).resolve().parents[2] / "examples" / "dental-agent"


def pytest_collection_modifyitems(config, items):
    """Deselect `realmodel` tests unless a real model is configured (scripts/realmodel.sh sets it)."""
    if RealModel.from_env() is not None:
        return
    tier = [item for item in items if "realmodel" in item.keywords]
    if tier:
        config.hook.pytest_deselected(items=tier)
        items[:] = [item for item in items if "realmodel" not in item.keywords]


@pytest.fixture(scope="module")
def real_model() -> RealModel:
    """The configured real model (the tier is deselected at collection when there is none)."""
    model = RealModel.from_env()
    assert model is not None
    return model


@pytest.fixture(scope="module")
def service(real_model):
    """One `scenarist serve` (API + worker) against the real model for the whole module."""
    with scenarist_service(real_model) as running:
        yield running


@pytest.fixture(scope="module")
def example_agent(service):
    """(agent id, KB file ids, {KB id: extracted text}) of examples/dental-agent, created over HTTP."""
    return create_example_agent(service.http, EXAMPLE_AGENT)
