"""Serializer fields for JSON-valued attributes that also arrive as JSON strings in form bodies."""

from __future__ import annotations

import json

from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html


class _FormJSON(str):
    """A form value that must be parsed as JSON before validation."""


def _parse_form_json(field: serializers.Field, data):
    """Parse a form-supplied JSON string, failing with DRF's 'Value must be valid JSON.'."""
    if isinstance(data, _FormJSON):
        try:
            return json.loads(data)
        except ValueError:
            field.fail("invalid_json")
    return data


class JSONObjectField(serializers.JSONField):
    """A JSON object (e.g. a JSON schema) or null; in forms, a JSON string (an empty one means null)."""

    default_error_messages = {"invalid_json": "Value must be valid JSON.", "not_object": "Must be a JSON object or null."}

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            raw = dictionary[self.field_name]
            return _FormJSON(raw if raw.strip() else "null")
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data):
        value = _parse_form_json(self, data)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail("not_object")
        return super().to_internal_value(value)


class MockRowsField(serializers.JSONField):
    """A list of `{input, output}` mock rows; in forms, a JSON array or one JSON object per repeated key."""

    default_error_messages = {"invalid_json": "Value must be valid JSON.", "not_list": "Must be a list of objects with 'input' and 'output' keys."}
    ROW_KEYS = ("input", "output")

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            values = dictionary.getlist(self.field_name)
            if len(values) == 1:
                return _FormJSON(values[0])
            return _FormJSON("[" + ",".join(values) + "]")
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data):
        rows = _parse_form_json(self, data)
        if not isinstance(rows, list):
            self.fail("not_list")
        errors = []
        for index, row in enumerate(rows):
            problem = self._row_problem(row)
            if problem:
                errors.append(f"Row {index}: {problem}")
        if errors:
            raise serializers.ValidationError(errors)
        return [{key: row[key] for key in self.ROW_KEYS} for row in rows]

    def _row_problem(self, row) -> str | None:
        """What is wrong with one row, or None."""
        if not isinstance(row, dict):
            return f"must be an object with keys 'input' and 'output', not {type(row).__name__}."
        missing = [key for key in self.ROW_KEYS if key not in row]
        if missing:
            return f"missing key(s) {', '.join(repr(k) for k in missing)}."
        extra = sorted(set(row) - set(self.ROW_KEYS))
        if extra:
            return f"unknown key(s) {', '.join(repr(k) for k in extra)}; only 'input' and 'output' are allowed."
        return None


class StringListField(serializers.ListField):
    """A list of strings; in forms, repeated keys or one JSON array string."""

    default_error_messages = {"invalid_json": "Value must be valid JSON."}

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=255))
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            values = dictionary.getlist(self.field_name)
            if len(values) == 1 and values[0].lstrip().startswith("["):
                return _FormJSON(values[0])
            return [v for v in values if v != ""]
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        return super().to_internal_value(_parse_form_json(self, data))
