"""Serializers of the metrics app: project metrics and the clean-description request."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from scenarist.agents.models import Agent
from scenarist.common.fields import ProjectScopedPrimaryKeyRelatedField
from scenarist.common.limits import BOUNDED_TEXT

from .models import EvalType, Metric, MetricType

DEPRECATED_METRIC_TYPES = ("basic", "custom_prompt")
LEGACY_EVAL_TYPES = {"binary_qualitative": EvalType.BINARY, "binary_workflow_adherence": EvalType.BINARY}
EVALUATION_TRIGGERS = ("always", "automatic", "custom")
CLEAN_DESCRIPTION_EVAL_TYPES = ("boolean", "numeric", "rating", "enum")
MAX_METRIC_DESCRIPTION_CHARS = 20_000


class MetricTypeField(serializers.ChoiceField):
    """`type`, rejecting the reference's deprecated values with an explicit message."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data in DEPRECATED_METRIC_TYPES:
            raise serializers.ValidationError(
                f"Metric type '{data}' is deprecated; use one of: {', '.join(MetricType.values)}."
            )
        return super().to_internal_value(data)


class EvalTypeField(serializers.ChoiceField):
    """`eval_type`, storing the legacy binary spellings as `binary`."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data in LEGACY_EVAL_TYPES:
            return LEGACY_EVAL_TYPES[data]
        return super().to_internal_value(data)


class MetricSerializer(serializers.ModelSerializer):
    """A project metric; `description` is the judge prompt."""

    type = MetricTypeField(choices=MetricType.choices, default=MetricType.LLM_JUDGE)
    eval_type = EvalTypeField(choices=EvalType.choices, default=EvalType.BINARY)
    enum_values = serializers.ListField(child=serializers.CharField(max_length=255), required=False)
    evaluation_trigger = serializers.ChoiceField(choices=EVALUATION_TRIGGERS, default="always")
    agents = ProjectScopedPrimaryKeyRelatedField(many=True, queryset=Agent.objects.all(), required=False)

    class Meta:
        model = Metric
        fields = [
            "id", "name", "description", "type", "eval_type", "enum_values", "evaluation_trigger",
            "evaluation_trigger_prompt", "custom_code", "project", "agents", "is_default", "predefined",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "project", "is_default", "predefined", "created_at", "updated_at"]
        extra_kwargs = {"description": BOUNDED_TEXT, "evaluation_trigger_prompt": BOUNDED_TEXT,
                        "custom_code": BOUNDED_TEXT}

    def validate(self, attrs):
        """Rules that tie fields together, checked on the row as it will be after this write."""
        merged = {name: getattr(self.instance, name) for name in self.Meta.fields if hasattr(self.instance, name)}
        merged.update(attrs)
        errors: dict[str, list[str]] = {}
        if merged.get("eval_type") == EvalType.ENUM:
            values = [v.strip() for v in merged.get("enum_values") or []]
            if not values or any(not v for v in values):
                errors["enum_values"] = ["A non-empty list of labels is required when eval_type is 'enum'."]
            elif len(set(values)) != len(values):
                errors["enum_values"] = ["Labels must be unique."]
            elif "enum_values" in attrs:
                attrs["enum_values"] = values
        if merged.get("type") == MetricType.CUSTOM_CODE and not (merged.get("custom_code") or "").strip():
            errors["custom_code"] = ["This field is required when type is 'custom_code'."]
        if merged.get("evaluation_trigger") == "custom" and not (merged.get("evaluation_trigger_prompt") or "").strip():
            errors["evaluation_trigger_prompt"] = ["This field is required when evaluation_trigger is 'custom'."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


@extend_schema_serializer(component_name="CleanMetricDescription")
class CleanMetricDescriptionRequestSerializer(serializers.Serializer):
    """Body of the clean-description endpoints: `validated_data["agent"]` is the caller's Agent."""

    agent = ProjectScopedPrimaryKeyRelatedField(queryset=Agent.objects.all())
    # Blank and length are checked below rather than by field options so the OpenAPI schema stays
    # identical to the reference's (which declares no minLength/maxLength).
    metric_description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    eval_type = serializers.ChoiceField(choices=CLEAN_DESCRIPTION_EVAL_TYPES)

    def validate_metric_description(self, value: str) -> str:
        """Non-blank and at most 20 000 characters."""
        if not value.strip():
            raise serializers.ValidationError("This field may not be blank.")
        if len(value) > MAX_METRIC_DESCRIPTION_CHARS:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {MAX_METRIC_DESCRIPTION_CHARS} characters."
            )
        return value
