"""GenerateScenariosRequestSerializer: every rule of CONTRACT §4's request table."""

import pytest
from django.http import QueryDict

from scenarist.catalog.models import Personality
from scenarist.scenarios.serializers import GenerateScenariosRequestSerializer

from .helpers import make_agent, make_kb_file


@pytest.fixture
def agent(tenant):
    return make_agent(tenant.project, assistant_id="asst_1234567890")


def _check(project, body):
    serializer = GenerateScenariosRequestSerializer(data=body, context={"project": project})
    return serializer, serializer.is_valid()


def _errors(project, body):
    serializer, ok = _check(project, body)
    assert not ok, "expected a validation error"
    return serializer.errors


def test_minimal_body_gets_defaults_and_the_agent(tenant, agent):
    serializer, ok = _check(tenant.project, {"agent_id": agent.pk, "num_scenarios": 3})
    assert ok, serializer.errors
    data = serializer.validated_data
    assert data["agent"] == agent
    assert data["scenario_type"] == "workflow" and data["first_message"] == "Hello"
    assert data["generate_expected_outcomes"] is False and data["attack_type"] is None


def test_agent_identification(tenant, other_tenant, agent):
    assert _check(tenant.project, {"assistant_id": "asst_1234567890", "num_scenarios": 1})[0].validated_data[
        "agent"] == agent
    assert _check(tenant.project, {"agent_id": agent.pk, "assistant_id": "asst_1234567890", "num_scenarios": 1})[1]
    assert "agent_id" in _errors(tenant.project, {"num_scenarios": 1})
    assert "agent_id" in _errors(tenant.project, {"assistant_id": "", "num_scenarios": 1})
    second = make_agent(tenant.project, "Second", assistant_id="asst_other_00000")
    errors = _errors(tenant.project, {"agent_id": second.pk, "assistant_id": "asst_1234567890", "num_scenarios": 1})
    assert "assistant_id" in errors
    foreign = make_agent(other_tenant.project, assistant_id="asst_foreign_000")
    assert _errors(tenant.project, {"agent_id": foreign.pk, "num_scenarios": 1})["agent_id"] == [
        f'Invalid pk "{foreign.pk}" - object does not exist.']
    assert "assistant_id" in _errors(tenant.project, {"assistant_id": "asst_foreign_000", "num_scenarios": 1})


@pytest.mark.parametrize("n", [0, 101, -1, "many", None])
def test_num_scenarios_bounds(tenant, agent, n):
    body = {"agent_id": agent.pk}
    if n is not None:
        body["num_scenarios"] = n
    assert "num_scenarios" in _errors(tenant.project, body)


def test_num_scenarios_limits_accepted(tenant, agent):
    for n in (1, 100):
        assert _check(tenant.project, {"agent_id": agent.pk, "num_scenarios": n})[1]


def test_attack_type_rules(tenant, agent):
    base = {"agent_id": agent.pk, "num_scenarios": 2}
    for kind in ("red_teaming_voice", "red_teaming_text"):
        assert "attack_type" in _errors(tenant.project, {**base, "scenario_type": kind})
        assert "attack_type" in _errors(tenant.project, {**base, "scenario_type": kind, "attack_type": ""})
        ok_body = {**base, "scenario_type": kind, "attack_type": "data_leak", "expected_outcome": None}
        assert _check(tenant.project, ok_body)[1]
    assert "attack_type" in _errors(tenant.project, {**base, "attack_type": "off_task"})
    assert "attack_type" in _errors(tenant.project, {**base, "scenario_type": "red_teaming_text",
                                                     "attack_type": "prank"})
    assert _check(tenant.project, {**base, "attack_type": ""})[1]
    assert "scenario_type" in _errors(tenant.project, {**base, "scenario_type": "happy"})


def test_references_must_be_visible(tenant, other_tenant, agent):
    base = {"agent_id": agent.pk, "num_scenarios": 2}
    global_personality = Personality.objects.filter(project=None).first()
    theirs = Personality.objects.create(project=other_tenant.project, name="Theirs")
    assert _check(tenant.project, {**base, "personalities": [global_personality.pk]})[1]
    assert "personalities" in _errors(tenant.project, {**base, "personalities": [global_personality.pk, theirs.pk]})
    from scenarist.catalog.models import PhoneNumber
    from scenarist.scenarios.models import TestProfile

    their_profile = TestProfile.objects.create(project=other_tenant.project, name="T")
    their_phone = PhoneNumber.objects.create(project=other_tenant.project, number="+14155550000")
    assert "test_profile" in _errors(tenant.project, {**base, "test_profile": their_profile.pk})
    assert "inbound_phone_number" in _errors(tenant.project, {**base, "inbound_phone_number": their_phone.pk})
    mine = TestProfile.objects.create(project=tenant.project, name="Mine", agent=agent)
    phone = PhoneNumber.objects.create(project=tenant.project, number="+14155550001")
    serializer, ok = _check(tenant.project, {**base, "test_profile": mine.pk, "inbound_phone_number": phone.pk})
    assert ok and serializer.validated_data["test_profile"] == mine.pk
    other_agents_profile = TestProfile.objects.create(project=tenant.project, name="O",
                                                      agent=make_agent(tenant.project, "Other"))
    assert "test_profile" in _errors(tenant.project, {**base, "test_profile": other_agents_profile.pk})


def test_knowledge_base_rules(tenant, agent):
    base = {"agent_id": agent.pk, "num_scenarios": 2}
    assert "knowledge_base" in _errors(tenant.project, {**base, "scenario_type": "knowledge_base"})
    kb = make_kb_file(agent)
    assert _check(tenant.project, {**base, "scenario_type": "knowledge_base"})[1]
    other_kb = make_kb_file(make_agent(tenant.project, "Other"))
    assert "knowledge_base" in _errors(tenant.project, {**base, "knowledge_base": [kb.pk, other_kb.pk]})
    serializer, ok = _check(tenant.project, {**base, "scenario_type": "knowledge_base", "knowledge_base": [kb.pk]})
    assert ok and serializer.validated_data["knowledge_base"] == [kb.pk]


def test_strings_lists_and_folder(tenant, agent):
    base = {"agent_id": agent.pk, "num_scenarios": 2}
    assert "first_message" in _errors(tenant.project, {**base, "first_message": "x" * 1001})
    serializer, ok = _check(tenant.project, {
        **base, "first_message": "  Hola, ¿qué tal?  ", "tags": ["a", " a ", "b"],
        "tool_ids": ["TOOL_END_CALL_ON_TRANSFER", "VAPI_TOOL_END_CALL"], "folder_path": "Gen.Batch 1",
        "generate_expected_outcomes": True, "extra_instructions": "Focus on refunds.",
    })
    assert ok, serializer.errors
    data = serializer.validated_data
    assert data["first_message"] == "  Hola, ¿qué tal?  "  # copied exactly
    assert data["tags"] == ["a", "b"]
    assert data["tool_ids"] == ["TOOL_END_CALL_ONLY_ON_TRANSFER", "TOOL_END_CALL"]
    assert data["folder_path"] == "Gen.Batch 1" and data["generate_expected_outcomes"] is True
    assert "tool_ids" in _errors(tenant.project, {**base, "tool_ids": ["TOOL_NOPE"]})
    assert "folder_path" in _errors(tenant.project, {**base, "folder_path": "a..b"})
    assert _check(tenant.project, {**base, "folder_path": None})[0].validated_data["folder_path"] is None


def test_null_means_absent_for_reference_non_nullable_fields(tenant, agent):
    body = {"agent_id": agent.pk, "num_scenarios": 1, "personalities": None, "test_profile": None, "tags": None,
            "tool_ids": None, "first_message": None, "assistant_id": None}
    serializer, ok = _check(tenant.project, body)
    assert ok, serializer.errors
    assert serializer.validated_data["first_message"] == "Hello"


def test_form_body_with_repeated_keys(tenant, agent):
    personalities = list(Personality.objects.filter(project=None).values_list("pk", flat=True)[:2])
    form = QueryDict(mutable=True)
    form.update({"agent_id": str(agent.pk), "num_scenarios": "4", "generate_expected_outcomes": "true"})
    form.setlist("personalities", [str(pk) for pk in personalities])
    form.setlist("tool_ids", ["TOOL_DTMF", "TOOL_SEND_DTMF"])
    serializer, ok = _check(tenant.project, form)
    assert ok, serializer.errors
    assert serializer.validated_data["personalities"] == personalities
    assert serializer.validated_data["tool_ids"] == ["TOOL_DTMF"]
    assert serializer.validated_data["num_scenarios"] == 4
