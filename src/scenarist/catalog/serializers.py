"""Serializers of the catalogue: personalities, predefined metrics, phone numbers, caller tools."""

from __future__ import annotations

import re

from rest_framework import serializers

from scenarist.common.limits import BOUNDED_TEXT

from .languages import LANGUAGE_CODES
from .models import Personality, PhoneNumber, PredefinedMetric
from .seed_personalities import INTERRUPTION_LEVELS, MOODS

E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")
PERSONALITY_PROVIDERS = ("cartesia", "11labs")


class PersonalitySerializer(serializers.ModelSerializer):
    """A personality; global ones (project null) are read-only for projects."""

    language = serializers.ChoiceField(choices=LANGUAGE_CODES, default="en")
    interruption_level = serializers.ChoiceField(choices=INTERRUPTION_LEVELS, default="none")
    provider = serializers.ChoiceField(choices=PERSONALITY_PROVIDERS, default="cartesia")
    mood = serializers.ChoiceField(choices=MOODS, default="neutral")
    speed = serializers.FloatField(min_value=0.5, max_value=2.0, default=1.0)
    is_global = serializers.SerializerMethodField()

    class Meta:
        model = Personality
        fields = [
            "id", "name", "language", "accent", "interruption_level", "background_noise", "speed", "prompt",
            "voice_model", "voice_id", "provider", "mood", "is_default", "project", "is_global",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "project", "is_global", "created_at", "updated_at"]
        extra_kwargs = {"prompt": BOUNDED_TEXT}

    def get_is_global(self, obj: Personality) -> bool:
        """True for catalogue rows shared by every project."""
        return obj.project_id is None


class PredefinedMetricSerializer(serializers.ModelSerializer):
    """A built-in metric definition (read-only)."""

    class Meta:
        model = PredefinedMetric
        fields = [
            "id", "slug", "name", "description", "type", "eval_type", "enum_values", "category",
            "evaluation_trigger", "is_default", "display_order",
        ]
        read_only_fields = fields


class PhoneNumberSerializer(serializers.ModelSerializer):
    """A project's phone number in E.164 form."""

    number = serializers.CharField(max_length=16)

    class Meta:
        model = PhoneNumber
        fields = ["id", "number", "name", "project", "created_at", "updated_at"]
        read_only_fields = ["id", "project", "created_at", "updated_at"]

    def validate_number(self, value: str) -> str:
        """E.164 only (`+` then 7–15 digits), unique within the project."""
        value = value.strip()
        if not E164_RE.match(value):
            raise serializers.ValidationError("Enter a phone number in E.164 format, e.g. +14155550123.")
        project = self.context.get("project")
        clash = PhoneNumber.objects.filter(project=project, number=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("This project already has this phone number.")
        return value


class CallerToolSerializer(serializers.Serializer):
    """One caller tool of the catalogue."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
