"""Every method of the unchanged Cekura SDK is accounted for: the implemented ones are exercised by the other
tests of this package, and every other one gets the documented JSON 404 naming a feature not part of Scenarist.
The method list is read from the SDK itself, so a method missing from both lists fails here."""

from __future__ import annotations

import inspect

import pytest
from cekura import NotFoundError

from scenarist.compat.unsupported import CODE

IMPLEMENTED = {
    "agents": {"list", "short_list", "get", "create", "update", "replace", "delete", "duplicate", "get_knowledge_base",
               "upload_knowledge_base", "delete_knowledge_base", "tools_list", "tools_create", "tool_get",
               "tool_create", "tool_update", "tool_delete"},
    "scenarios": {"list", "get", "create", "update", "delete", "generate_bg", "generate_progress", "export",
                  "duplicate", "delete_bulk", "get_tags", "add_tags", "list_folders", "create_folder",
                  "delete_folder", "move_folder", "rename_folder", "bulk_update"},
    "metrics": {"list", "get", "create", "update", "delete", "bulk_create", "delete_bulk", "generate_clean_description",
                "generate_clean_description_bg", "generate_clean_description_progress"},
    "projects": {"list", "get", "create", "update", "delete"},
    "personalities": {"list", "get", "create"},
    "test_profiles": {"list", "get", "create", "update", "delete"},
    "predefined_metrics": {"list", "copy"},
    "phone_numbers": {"inbound"},
}  # fmt: skip
SAMPLE_ARGS = {"from_date": "2026-01-01", "spec": {}, "metric_data": {}, "metrics": [], "scenario_ids": [1],
               "scenarios": [1], "path": "a", "name": "a", "tool_name": "t"}  # fmt: skip


def sdk_methods(sdk):
    """(resource, method name, bound method) of every public method of every SDK resource."""
    for resource, obj in sorted(vars(sdk).items()):
        if resource.startswith("_"):
            continue
        for name, fn in inspect.getmembers(obj, inspect.ismethod):
            if not name.startswith("_"):
                yield resource, name, fn


def _call(fn):
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    return fn(*[SAMPLE_ARGS.get(p.name, [1] if "List" in str(p.annotation) else 1) for p in params])


def test_the_implemented_list_names_real_sdk_methods(tenant):
    names = {(r, n) for r, n, _ in sdk_methods(tenant.sdk)}
    for resource, methods in IMPLEMENTED.items():
        assert {(resource, m) for m in methods} <= names


def test_every_other_sdk_method_is_a_json_404_naming_the_feature(tenant):
    answered = {}
    for resource, name, fn in sdk_methods(tenant.sdk):
        if name in IMPLEMENTED.get(resource, ()):
            continue
        with pytest.raises(NotFoundError) as err:
            _call(fn)
        body = err.value.response_body
        assert isinstance(body, dict) and body.get("code") == CODE, f"{resource}.{name}: {body}"
        assert "not part of Scenarist" in body["detail"]
        answered[f"{resource}.{name}"] = body["feature"]
    assert len(answered) > 150  # the SDK has ~190 methods outside what Scenarist implements
