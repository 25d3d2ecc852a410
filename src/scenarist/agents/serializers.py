"""Wire shapes of agents, mock tools, dynamic variables and knowledge-base files."""

from __future__ import annotations

import re

from rest_framework import serializers

from scenarist.common.limits import BOUNDED_TEXT

from .fields import JSONObjectField, MockRowsField, StringListField
from .languages import AGENT_LANGUAGES, DEFAULT_LANGUAGE
from .models import VARIABLE_NAME_RE, Agent, DynamicVariable, KnowledgeBaseFile, MockTool

TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*$")
CONTACT_NUMBER_MIN_CHARS = 8


class LanguageField(serializers.ChoiceField):
    """One of the reference API's 43 language codes (case-insensitive on input)."""

    def __init__(self, **kwargs):
        super().__init__(choices=AGENT_LANGUAGES, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data.strip().lower() if isinstance(data, str) else data)


class AgentSerializer(serializers.ModelSerializer):
    """An agent; `knowledge_base_files` and `dynamic_variables` are read-only summaries."""

    project = serializers.PrimaryKeyRelatedField(read_only=True)
    language = LanguageField(required=False, default=DEFAULT_LANGUAGE)
    assistant_id = serializers.CharField(max_length=255, required=False, allow_blank=True, allow_null=True)
    contact_number = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    # Explicit defaults: in form bodies DRF reads an omitted boolean as False, not as the model default.
    inbound = serializers.BooleanField(required=False, default=True)
    agent_gives_first_message = serializers.BooleanField(required=False, allow_null=True, default=None)
    knowledge_base_files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    dynamic_variables = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Agent
        fields = [
            "id", "agent_name", "project", "description", "assistant_id", "language", "inbound", "contact_number",
            "agent_gives_first_message", "knowledge_base_files", "dynamic_variables", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"description": BOUNDED_TEXT}

    def validate_assistant_id(self, value):
        return value or ""

    def validate_contact_number(self, value):
        value = (value or "").strip()
        if not value:
            return ""
        if not value.startswith("+"):
            raise serializers.ValidationError("Phone number must start with '+'.")
        if len(value) < CONTACT_NUMBER_MIN_CHARS:
            raise serializers.ValidationError(f"Ensure this field has at least {CONTACT_NUMBER_MIN_CHARS} characters.")
        return value


class MockToolSerializer(serializers.ModelSerializer):
    """A mock tool; `information` is replaced as a whole on write (as the reference does)."""

    name = serializers.CharField(max_length=63)
    parameters = JSONObjectField(required=False, allow_null=True)
    information = MockRowsField(required=False)
    freetext_params = StringListField(required=False)

    class Meta:
        model = MockTool
        fields = ["id", "name", "description", "parameters", "information", "freetext_params"]
        read_only_fields = ["id"]
        extra_kwargs = {"description": BOUNDED_TEXT}

    def validate_name(self, value):
        if not TOOL_NAME_RE.match(value):
            raise serializers.ValidationError(
                "Use letters, digits, '_' and '-' only, with single spaces between words."
            )
        others = MockTool.objects.filter(agent=self.context["agent"], name=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"A tool named '{value}' already exists for this agent.")
        return value


class DynamicVariableSerializer(serializers.ModelSerializer):
    """A dynamic variable; `auto_detected` tells whether it came from a `{{placeholder}}`."""

    class Meta:
        model = DynamicVariable
        fields = ["id", "name", "description", "auto_detected"]
        read_only_fields = ["id", "auto_detected"]
        extra_kwargs = {"description": {"required": False, "allow_blank": True, **BOUNDED_TEXT}}

    def validate_name(self, value):
        if not VARIABLE_NAME_RE.match(value):
            raise serializers.ValidationError(
                "Use letters, digits and underscores only, starting with a letter or underscore."
            )
        agent = self.context.get("agent")
        if self.instance is not None and agent is not None:
            clash = DynamicVariable.objects.filter(agent=agent, name=value).exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(f"A variable named '{value}' already exists for this agent.")
        return value


class KnowledgeBaseFileSerializer(serializers.ModelSerializer):
    """A knowledge-base file as listed (no content, no text)."""

    agent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = KnowledgeBaseFile
        fields = ["id", "agent", "file_name", "file_type", "file_size", "text_chars", "created_at"]
        read_only_fields = fields


class KnowledgeBaseFileDetailSerializer(KnowledgeBaseFileSerializer):
    """A knowledge-base file with its extracted text."""

    class Meta(KnowledgeBaseFileSerializer.Meta):
        fields = KnowledgeBaseFileSerializer.Meta.fields + ["extracted_text"]
        read_only_fields = fields


class FileIdsSerializer(serializers.Serializer):
    """Optional `file_ids` of a bulk knowledge-base delete (absent = every file of the agent)."""

    file_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=True)
