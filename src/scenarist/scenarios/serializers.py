"""Serializers of the scenarios app: scenarios, test profiles, folders and the generation request."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from scenarist.agents.models import Agent, KnowledgeBaseFile
from scenarist.catalog.caller_tools import normalise_caller_tool_ids
from scenarist.catalog.languages import LANGUAGE_CODES
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.catalog.services import default_personality
from scenarist.common.fields import NullOnReadPrimaryKeyRelatedField, ProjectScopedPrimaryKeyRelatedField
from scenarist.common.limits import BOUNDED_TEXT, check_text_length
from scenarist.metrics.models import Metric

from .models import Folder, Scenario, ScenarioType, TestProfile
from .services import folder_exists, validate_folder_name, validate_folder_path

ATTACK_TYPES = (
    "system_prompt_leak", "data_leak", "harmful_content", "biased_output", "unauthorized_actions", "off_task",
)
GENERATION_SCENARIO_TYPES = (
    ScenarioType.WORKFLOW, ScenarioType.RED_TEAMING_VOICE, ScenarioType.RED_TEAMING_TEXT, ScenarioType.KNOWLEDGE_BASE,
)
RED_TEAMING_TYPES = (ScenarioType.RED_TEAMING_VOICE, ScenarioType.RED_TEAMING_TEXT)
INFORMATION_SECTIONS = ("main_agent_variables", "testing_agent_variables")


def _visible_personalities(queryset, project):
    """Global catalogue rows plus the project's own."""
    return queryset.filter(Q(project__isnull=True) | Q(project=project))


def _does_not_exist(pk) -> str:
    """DRF's wording for a reference to a row the caller cannot see."""
    return f'Invalid pk "{pk}" - object does not exist.'


def _tool_ids(value: list[str]) -> list[str]:
    """Canonical caller-tool ids, or a field error listing the valid ones."""
    try:
        return normalise_caller_tool_ids(value)
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


def _optional_folder_path(value: str | None) -> str | None:
    """A validated dotted path, or None for null/blank."""
    if value is None or not value.strip():
        return None
    return validate_folder_path(value)


class TestProfileSerializer(serializers.ModelSerializer):
    """Caller identity and agent variables of a project (optionally tied to one agent)."""

    __test__ = False  # not a pytest test class

    agent = ProjectScopedPrimaryKeyRelatedField(queryset=Agent.objects.all(), allow_null=True, required=False)
    information = serializers.JSONField(required=False)
    scenarios = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TestProfile
        fields = ["id", "name", "agent", "project", "information", "scenarios", "created_at", "updated_at"]
        read_only_fields = ["id", "project", "scenarios", "created_at", "updated_at"]

    def validate_information(self, value):
        """An object; in the sectioned shape each present section must be an object too."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise serializers.ValidationError("Expected an object, e.g. {\"main_agent_variables\": {}, "
                                              "\"testing_agent_variables\": {}}.")
        bad = [name for name in INFORMATION_SECTIONS if name in value and not isinstance(value[name], dict)]
        if bad:
            raise serializers.ValidationError(f"{', '.join(bad)} must be an object.")
        return value


class FolderSerializer(serializers.ModelSerializer):
    """A scenario folder."""

    parent_path = serializers.SerializerMethodField()

    class Meta:
        model = Folder
        fields = ["id", "name", "path", "parent_path", "created_at", "updated_at"]
        read_only_fields = fields

    def get_parent_path(self, obj: Folder) -> str | None:
        """The parent folder's path, or null at the root."""
        head, sep, _ = obj.path.rpartition(".")
        return head if sep else None


class CreateFolderRequestSerializer(serializers.Serializer):
    """Body of `create_folder` (`project_id` is accepted and ignored: the key decides the project)."""

    name = serializers.CharField(max_length=100, trim_whitespace=False)
    parent_path = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    project_id = serializers.IntegerField(required=False, allow_null=True)

    def validate_name(self, value: str) -> str:
        """A single folder name (no dots)."""
        return validate_folder_name(value)

    def validate_parent_path(self, value: str | None) -> str | None:
        """A valid dotted path, or None for the root."""
        return _optional_folder_path(value)


class RenameFolderRequestSerializer(serializers.Serializer):
    """Body of `rename_folder`."""

    path = serializers.CharField()
    name = serializers.CharField(max_length=100, trim_whitespace=False)
    project_id = serializers.IntegerField(required=False, allow_null=True)

    def validate_name(self, value: str) -> str:
        """A single folder name (no dots)."""
        return validate_folder_name(value)


class MoveFolderRequestSerializer(serializers.Serializer):
    """Body of `move_folder` (empty/null `new_parent_path` = the root)."""

    path = serializers.CharField()
    new_parent_path = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    project_id = serializers.IntegerField(required=False, allow_null=True)


class DeleteFolderRequestSerializer(serializers.Serializer):
    """Body of `delete_folder`."""

    path = serializers.CharField()
    project_id = serializers.IntegerField(required=False, allow_null=True)


class MockToolEntrySerializer(serializers.Serializer):
    """One generated mock-tool row: `{tool_id, tool_name, new_entry: {input, output}}`."""

    tool_id = serializers.JSONField(required=False, allow_null=True)
    tool_name = serializers.CharField(max_length=64)
    new_entry = serializers.DictField()

    def validate_new_entry(self, value: dict) -> dict:
        """Both `input` and `output` must be present."""
        missing = [key for key in ("input", "output") if key not in value]
        if missing:
            raise serializers.ValidationError(f"Missing key(s): {', '.join(missing)}.")
        return value


class KnowledgeBaseSourceSerializer(serializers.Serializer):
    """The KB passage a knowledge-base scenario rests on."""

    file_id = serializers.IntegerField()
    file_name = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    quote = serializers.CharField(trim_whitespace=False)


def _validate_json_list(value, item_serializer_class) -> list[dict]:
    """A JSON list whose items each validate against `item_serializer_class` (null = empty list)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise serializers.ValidationError("Expected a list.")
    cleaned, errors = [], {}
    for index, item in enumerate(value):
        item_serializer = item_serializer_class(data=item)
        if item_serializer.is_valid():
            cleaned.append(dict(item_serializer.validated_data))
        else:
            errors[index] = item_serializer.errors
    if errors:
        raise serializers.ValidationError(errors)
    return cleaned


@extend_schema_field({"type": "array", "items": {"type": "object"}})
class JsonListField(serializers.JSONField):
    """A JSON list (sent as a JSON string in form bodies)."""


class ScenarioSerializer(serializers.ModelSerializer):
    """A scenario with every contract field; references resolve only to the caller's rows."""

    agent = ProjectScopedPrimaryKeyRelatedField(queryset=Agent.objects.all())
    personality = NullOnReadPrimaryKeyRelatedField(
        queryset=Personality.objects.all(), scope=_visible_personalities, required=False
    )
    personality_name = serializers.CharField(source="personality.name", read_only=True, default=None, allow_null=True)
    first_message = serializers.CharField(max_length=1000, allow_blank=True, required=False, trim_whitespace=False)
    scenario_language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)
    scenario_type = serializers.ChoiceField(choices=ScenarioType.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    tool_ids = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    metrics = ProjectScopedPrimaryKeyRelatedField(many=True, queryset=Metric.objects.all(), required=False)
    metric_names = serializers.SerializerMethodField()
    test_profile = ProjectScopedPrimaryKeyRelatedField(
        queryset=TestProfile.objects.all(), allow_null=True, required=False
    )
    test_profile_data = serializers.SerializerMethodField()
    inbound_phone_number = ProjectScopedPrimaryKeyRelatedField(
        queryset=PhoneNumber.objects.all(), allow_null=True, required=False
    )
    folder_path = serializers.CharField(max_length=1000, allow_null=True, allow_blank=True, required=False)
    generated_mock_tool_entries = JsonListField(required=False, allow_null=True)
    attack_type = serializers.ChoiceField(choices=ATTACK_TYPES, allow_null=True, allow_blank=True, required=False)
    knowledge_base_sources = JsonListField(required=False, allow_null=True)

    class Meta:
        model = Scenario
        fields = [
            "id", "name", "agent", "personality", "personality_name", "instructions", "expected_outcome_prompt",
            "first_message", "scenario_language", "scenario_type", "tags", "tool_ids", "metrics", "metric_names",
            "test_profile", "test_profile_data", "inbound_phone_number", "folder_path",
            "generated_mock_tool_entries", "attack_type", "knowledge_base_sources", "provenance",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "provenance", "created_at", "updated_at"]
        extra_kwargs = {"instructions": BOUNDED_TEXT, "expected_outcome_prompt": BOUNDED_TEXT}

    def get_metric_names(self, obj: Scenario) -> list[str]:
        """Names of the attached metrics, in id order."""
        return [metric.name for metric in sorted(obj.metrics.all(), key=lambda metric: metric.pk)]

    def get_test_profile_data(self, obj: Scenario) -> dict | None:
        """The attached test profile embedded as `{id, name, information}`."""
        profile = obj.test_profile
        if profile is None:
            return None
        return {"id": profile.pk, "name": profile.name, "information": profile.information}

    def validate_tags(self, value: list[str]) -> list[str]:
        """Trimmed, de-duplicated in first-seen order."""
        return list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))

    def validate_tool_ids(self, value: list[str]) -> list[str]:
        """Canonical caller-tool ids."""
        return _tool_ids(value)

    def validate_folder_path(self, value: str | None) -> str | None:
        """A dotted path of an existing folder (folders are not created implicitly here)."""
        path = _optional_folder_path(value)
        if path is not None and not folder_exists(self.context["project"], path):
            raise serializers.ValidationError(f"Folder '{path}' does not exist. Create it with create_folder first.")
        return path

    def validate_attack_type(self, value: str | None) -> str | None:
        """Blank is stored as null."""
        return value or None

    def validate_generated_mock_tool_entries(self, value) -> list[dict]:
        """A list of `{tool_id, tool_name, new_entry: {input, output}}`."""
        return _validate_json_list(value, MockToolEntrySerializer)

    def validate_knowledge_base_sources(self, value) -> list[dict]:
        """A list of `{file_id, file_name, quote}`."""
        return _validate_json_list(value, KnowledgeBaseSourceSerializer)

    def validate(self, attrs):
        """Cross-field rules: the profile and KB files must belong to the scenario's agent; defaults."""
        agent = attrs.get("agent") or getattr(self.instance, "agent", None)
        profile = attrs.get("test_profile")
        if profile is not None and profile.agent_id is not None and profile.agent_id != agent.pk:
            raise serializers.ValidationError({"test_profile": ["This test profile belongs to another agent."]})
        sources = attrs.get("knowledge_base_sources") or []
        file_ids = {source["file_id"] for source in sources}
        if file_ids:
            known = set(KnowledgeBaseFile.objects.filter(agent=agent, pk__in=file_ids).values_list("pk", flat=True))
            unknown = sorted(file_ids - known)
            if unknown:
                raise serializers.ValidationError(
                    {"knowledge_base_sources": [f"Unknown knowledge-base file id(s) for this agent: {unknown}."]}
                )
        if self.instance is None:
            attrs.setdefault("personality", default_personality(self.context["project"]))
            attrs.setdefault("scenario_language", agent.language)
        return attrs


MAX_DB_ID = 2**63 - 1


class DatabaseIdField(serializers.IntegerField):
    """An integer id; one no database column can hold is refused here (400) instead of overflowing the query.

    The bound is checked by hand, not with `max_value`, so the published schema stays the reference's."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not -MAX_DB_ID <= value <= MAX_DB_ID:
            raise serializers.ValidationError(f'Invalid pk "{value}" - object does not exist.')
        return value


class _NullMeansAbsentMixin:
    """Treats JSON `null` as "not given" for fields the reference types as non-nullable."""

    null_means_absent: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict) and not hasattr(data, "getlist"):
            data = {key: value for key, value in data.items() if not (value is None and key in self.null_means_absent)}
        return super().to_internal_value(data)


@extend_schema_serializer(component_name="SchemaGenerateScenarios")
class GenerateScenariosRequestSerializer(_NullMeansAbsentMixin, serializers.Serializer):
    """Body of `scenarios/generate-bg/` (CONTRACT §4). `validated_data` holds the given fields (ids
    checked, tool ids normalised, folder path validated or None) plus `agent`: the resolved Agent."""

    null_means_absent = (
        "agent_id", "assistant_id", "personalities", "test_profile", "knowledge_base", "extra_instructions",
        "tags", "tool_ids", "scenario_type", "first_message", "generate_expected_outcomes",
    )

    agent_id = DatabaseIdField(required=False, help_text="ID of the agent to generate evaluator for")
    assistant_id = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Alternative to agent_id - the assistant ID to generate evaluators for",
    )
    personalities = serializers.ListField(
        child=DatabaseIdField(), required=False,
        help_text="List of personality IDs to use for generated evaluators",
    )
    num_scenarios = serializers.IntegerField(
        min_value=1, max_value=100, help_text="Number of evaluators to generate (1-100)"
    )
    test_profile = DatabaseIdField(
        required=False, help_text="ID of the test profile to assign to generated evaluators"
    )
    scenario_type = serializers.ChoiceField(
        choices=GENERATION_SCENARIO_TYPES, default=ScenarioType.WORKFLOW,
        help_text="Type of scenarios to generate: workflow (standard scenarios), red_teaming_voice (red teaming "
        "with voice-suitable prompts only), red_teaming_text (red teaming with all prompts), or knowledge_base "
        "(knowledge base scenarios)",
    )
    attack_type = serializers.ChoiceField(
        choices=ATTACK_TYPES, required=False, allow_blank=True, allow_null=True,
        help_text="Attack category for red teaming scenarios. Required when scenario_type is red_teaming_voice "
        "or red_teaming_text.",
    )
    expected_outcome = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False,
        help_text="Custom expected outcome for the scenario. If not provided, a default is generated based on "
        "the attack type.",
    )
    knowledge_base = serializers.ListField(
        child=DatabaseIdField(), required=False,
        help_text="List of Knowledge Base file IDs for the agent to reference during scenario generation",
    )
    extra_instructions = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False,
        help_text="Additional instructions to guide evaluator generation",
    )
    inbound_phone_number = DatabaseIdField(
        required=False, allow_null=True, help_text="Phone number ID to use for inbound evaluator"
    )
    first_message = serializers.CharField(
        default="Hello", max_length=1000, allow_blank=True, trim_whitespace=False,
        help_text="Initial message to start the conversation",
    )
    generate_expected_outcomes = serializers.BooleanField(
        default=False, help_text="If true, expected outcomes will be generated for each evaluator"
    )
    # Blank items are allowed by the field (and dropped/rejected by the validators) so the schema has no
    # item minLength, like the reference's.
    tags = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="List of tags to apply to all generated scenarios"
    )
    tool_ids = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="List of tool IDs to use for generated evaluators"
    )
    folder_path = serializers.CharField(
        required=False, allow_blank=True, allow_null=True,
        help_text="Folder path to assign generated scenarios to (e.g., 'folder_name' or 'parent.child')",
    )

    @property
    def _project(self):
        return self.context["project"]

    def validate_extra_instructions(self, value: str) -> str:
        """Bounded like every free-text field (no schema change: the body matches the reference's)."""
        return check_text_length(value)

    def validate_expected_outcome(self, value: str | None) -> str | None:
        """Bounded like every free-text field."""
        return check_text_length(value)

    def validate_personalities(self, value: list[int]) -> list[int]:
        """Ids of personalities the project can see (global or its own), de-duplicated."""
        ids = list(dict.fromkeys(value))
        known = set(_visible_personalities(Personality.objects.all(), self._project).filter(pk__in=ids)
                    .values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in known]
        if missing:
            raise serializers.ValidationError([_does_not_exist(pk) for pk in missing])
        return ids

    def validate_test_profile(self, value: int) -> int:
        """Id of one of the project's test profiles."""
        if not TestProfile.objects.filter(project=self._project, pk=value).exists():
            raise serializers.ValidationError(_does_not_exist(value))
        return value

    def validate_inbound_phone_number(self, value: int | None) -> int | None:
        """Id of one of the project's phone numbers."""
        if value is not None and not PhoneNumber.objects.filter(project=self._project, pk=value).exists():
            raise serializers.ValidationError(_does_not_exist(value))
        return value

    def validate_tags(self, value: list[str]) -> list[str]:
        """Trimmed, de-duplicated in first-seen order."""
        return list(dict.fromkeys(tag.strip() for tag in value if tag.strip()))

    def validate_tool_ids(self, value: list[str]) -> list[str]:
        """Canonical caller-tool ids."""
        return _tool_ids(value)

    def validate_folder_path(self, value: str | None) -> str | None:
        """A valid dotted path or None; missing folders are created by generation."""
        return _optional_folder_path(value)

    def validate(self, attrs):
        """Resolve the agent, then the rules that depend on it or on scenario_type."""
        attrs["agent"] = self._resolve_agent(attrs)
        scenario_type = attrs.get("scenario_type", ScenarioType.WORKFLOW)
        attack_type = attrs.get("attack_type") or None
        if scenario_type in RED_TEAMING_TYPES and not attack_type:
            raise serializers.ValidationError(
                {"attack_type": [f"This field is required when scenario_type is '{scenario_type}'."]}
            )
        if scenario_type not in RED_TEAMING_TYPES and attack_type:
            raise serializers.ValidationError(
                {"attack_type": [f"Only red-teaming scenario types take an attack_type, not '{scenario_type}'."]}
            )
        attrs["attack_type"] = attack_type
        self._check_test_profile_agent(attrs)
        self._check_knowledge_base(attrs, scenario_type)
        return attrs

    def _resolve_agent(self, attrs) -> Agent:
        """The caller's agent named by agent_id and/or assistant_id (they must agree)."""
        agents = Agent.objects.filter(project=self._project)
        agent_id = attrs.get("agent_id")
        assistant_id = (attrs.get("assistant_id") or "").strip()
        if agent_id is None and not assistant_id:
            raise serializers.ValidationError({"agent_id": ["Either agent_id or assistant_id is required."]})
        by_id = by_assistant = None
        if agent_id is not None:
            by_id = agents.filter(pk=agent_id).first()
            if by_id is None:
                raise serializers.ValidationError({"agent_id": [_does_not_exist(agent_id)]})
        if assistant_id:
            matches = list(agents.filter(assistant_id=assistant_id)[:2])
            if not matches:
                raise serializers.ValidationError({"assistant_id": [f"No agent has assistant_id '{assistant_id}'."]})
            if len(matches) > 1 and by_id is None:
                raise serializers.ValidationError(
                    {"assistant_id": [f"Several agents have assistant_id '{assistant_id}'; send agent_id instead."]}
                )
            by_assistant = by_id if by_id in matches else matches[0]
        if by_id is not None and by_assistant is not None and by_id.pk != by_assistant.pk:
            raise serializers.ValidationError(
                {"assistant_id": ["agent_id and assistant_id refer to different agents."]}
            )
        return by_id or by_assistant

    @staticmethod
    def _check_test_profile_agent(attrs) -> None:
        """A profile tied to another agent cannot be used for this one."""
        profile_id = attrs.get("test_profile")
        if profile_id is None:
            return
        profile_agent = TestProfile.objects.filter(pk=profile_id).values_list("agent_id", flat=True).first()
        if profile_agent is not None and profile_agent != attrs["agent"].pk:
            raise serializers.ValidationError({"test_profile": ["This test profile belongs to another agent."]})

    @staticmethod
    def _check_knowledge_base(attrs, scenario_type: str) -> None:
        """KB ids must be the agent's files; knowledge_base generation needs at least one file."""
        agent = attrs["agent"]
        file_ids = list(dict.fromkeys(attrs.get("knowledge_base") or []))
        if file_ids:
            known = set(KnowledgeBaseFile.objects.filter(agent=agent, pk__in=file_ids).values_list("pk", flat=True))
            missing = [pk for pk in file_ids if pk not in known]
            if missing:
                raise serializers.ValidationError({"knowledge_base": [_does_not_exist(pk) for pk in missing]})
            attrs["knowledge_base"] = file_ids
        if scenario_type == ScenarioType.KNOWLEDGE_BASE and not KnowledgeBaseFile.objects.filter(agent=agent).exists():
            raise serializers.ValidationError(
                {"knowledge_base": ["This agent has no knowledge-base files; upload some before generating "
                                    "knowledge_base scenarios."]}
            )
