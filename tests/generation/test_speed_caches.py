"""The speed caches change no result: shingle norms, JSON schemas, a reused writing context."""

from __future__ import annotations

import asyncio
import math
from collections import Counter

from scenarist.generation.diversity import shingles, similarity
from scenarist.generation.agent_model import AgentModel
from scenarist.generation.llm_prompts import LLMScenarioDraft
from scenarist.generation.pipeline import ScenarioGenerator
from scenarist.generation.types import GenerationRequest, PersonalitySpec
from scenarist.generation.writers.workflow import build_context, write_workflow_item
from scenarist.llm.config import StructuredMode
from scenarist.llm.structured import json_schema_of, response_format_for
from tests.generation.truth import corpus_agent, truth_model

TEXTS = [
    "You are calling to book a hygiene cleaning. Give your {{test_profile.full_name}} when asked.",
    "You are calling to book a hygiene cleaning. Give your {{test_profile.phone}} when asked, then wait.",
    "Your call is about one thing: you want to cancel your appointment before Friday.",
    "short",
    "",
]


def _reference_cosine(a: str, b: str) -> float:
    va, vb = Counter(shingles(a)), Counter(shingles(b))
    if not va or not vb:
        return 0.0
    dot = sum(count * vb.get(key, 0) for key, count in va.items())
    norm = math.sqrt(sum(c * c for c in va.values())) * math.sqrt(sum(c * c for c in vb.values()))
    return dot / norm if norm else 0.0


def test_similarity_with_cached_norms_matches_the_plain_formula():
    for a in TEXTS:
        for b in TEXTS:
            assert math.isclose(similarity(a, b), _reference_cosine(a, b), abs_tol=1e-12), (a, b)
    assert similarity(TEXTS[0], TEXTS[0]) == 1.0 and similarity(TEXTS[0], TEXTS[2]) < 0.2


def test_schemas_are_built_once_and_equal_pydantics():
    first = response_format_for(StructuredMode.JSON_SCHEMA, LLMScenarioDraft)
    assert response_format_for(StructuredMode.JSON_SCHEMA, LLMScenarioDraft) is first
    assert first["json_schema"]["schema"] == LLMScenarioDraft.model_json_schema()
    assert json_schema_of(AgentModel) == AgentModel.model_json_schema()
    assert response_format_for(StructuredMode.JSON_OBJECT, LLMScenarioDraft) == {"type": "json_object"}


def test_a_prebuilt_context_writes_the_same_item():
    agent = corpus_agent("clinic-scheduling")
    request = GenerationRequest(num_scenarios=12, personalities=[PersonalitySpec(id=1, name="Normal")], seed=5,
                                generate_expected_outcomes=True)
    plan, _ = asyncio.run(ScenarioGenerator(None, seed=5).plan(agent, request,
                                                               cached_model=truth_model("clinic-scheduling")))
    for slot in plan.slots:
        plain = write_workflow_item(agent, plan, request, slot, taken_names=set())
        reused = write_workflow_item(agent, plan, request, slot, taken_names=set(),
                                     ctx=build_context(agent, plan, request, slot))
        assert reused.model_dump() == plain.model_dump()
