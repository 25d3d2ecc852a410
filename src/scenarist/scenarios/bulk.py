"""Bulk scenario operations of the reference API: tags, bulk delete, bulk update, export, duplicate."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from rest_framework import serializers

from scenarist.accounts.models import Project
from scenarist.agents.models import Agent
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.common.fields import NullOnReadPrimaryKeyRelatedField, ProjectScopedPrimaryKeyRelatedField
from scenarist.metrics.models import Metric

from .models import Scenario, TestProfile
from .serializers import MAX_DB_ID, _optional_folder_path, _tool_ids, _visible_personalities
from .services import ensure_folder_path, folder_exists

EXPORT_COLUMNS = ("id", "name", "agent", "personality", "instructions", "expected_outcome_prompt", "first_message",
                  "scenario_language", "scenario_type", "tags", "tool_ids", "metrics", "test_profile",
                  "folder_path", "attack_type")  # fmt: skip
EXPORT_TYPES = ("csv", "json", "excel")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def own_scenarios(project: Project, ids, field: str = "scenarios") -> list[Scenario]:
    """The listed scenarios of the project; any id it does not have is a 400 naming it (foreign = missing)."""
    if not isinstance(ids, list) or not ids:
        raise serializers.ValidationError({field: ["A non-empty list of scenario ids is required."]})
    try:
        wanted = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise serializers.ValidationError({field: ["Every item must be a scenario id (integer)."]}) from None
    rows = list(Scenario.objects.filter(project=project, pk__in=[i for i in wanted if abs(i) <= MAX_DB_ID]))
    missing = sorted(set(wanted) - {row.pk for row in rows})
    if missing:
        raise serializers.ValidationError({field: [f"Scenarios {missing} do not exist."]})
    return rows


def tags_of(project: Project, agent_id: int | None = None) -> list[str]:
    """Every tag used by the project's scenarios (optionally one agent's), sorted."""
    qs = Scenario.objects.filter(project=project)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    return sorted({tag for tags in qs.values_list("tags", flat=True) for tag in (tags or [])})


class AddTagsSerializer(serializers.Serializer):
    """`{scenarios: [ids], tags: [str]}`."""

    scenarios = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False)


def add_tags(project: Project, data) -> list[Scenario]:
    """Add tags to the listed scenarios (set union, first-seen order kept)."""
    body = AddTagsSerializer(data=data)
    body.is_valid(raise_exception=True)
    rows = own_scenarios(project, body.validated_data["scenarios"])
    new = [t.strip() for t in body.validated_data["tags"] if t.strip()]
    with transaction.atomic():
        for row in rows:
            row.tags = list(dict.fromkeys([*(row.tags or []), *new]))
            row.save(update_fields=["tags", "updated_at"])
    return rows


def delete_scenarios(project: Project, data) -> int:
    """Delete every listed scenario of the project (all or nothing)."""
    ids = data.get("scenarios", data.get("scenario_ids")) if isinstance(data, dict) else None
    rows = own_scenarios(project, ids)
    with transaction.atomic():
        Scenario.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


class BulkUpdateSerializer(serializers.Serializer):
    """`POST /scenarios/adv_update/`: what to change on every listed scenario (one transaction)."""

    scenarios = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    agent = ProjectScopedPrimaryKeyRelatedField(queryset=Agent.objects.all(), required=False)
    project = serializers.IntegerField(required=False)
    metric_ids_to_add = ProjectScopedPrimaryKeyRelatedField(many=True, queryset=Metric.objects.all(), required=False)
    metric_ids_to_remove = ProjectScopedPrimaryKeyRelatedField(many=True, queryset=Metric.objects.all(), required=False)
    tool_ids_to_add = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    tool_ids_to_remove = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    personality = NullOnReadPrimaryKeyRelatedField(queryset=Personality.objects.all(), scope=_visible_personalities,
                                                   required=False)  # fmt: skip
    test_profile = ProjectScopedPrimaryKeyRelatedField(queryset=TestProfile.objects.all(), required=False,
                                                       allow_null=True)  # fmt: skip
    phone_number = ProjectScopedPrimaryKeyRelatedField(queryset=PhoneNumber.objects.all(), required=False,
                                                       allow_null=True)  # fmt: skip
    inbound_phone_number = ProjectScopedPrimaryKeyRelatedField(queryset=PhoneNumber.objects.all(), required=False,
                                                               allow_null=True)  # fmt: skip
    append_instruction = serializers.CharField(required=False, allow_blank=True, max_length=200_000)
    first_message = serializers.CharField(required=False, allow_blank=True, max_length=1000, trim_whitespace=False)
    folder_path = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=1000)

    def validate_project(self, value):
        if value != self.context["project"].pk:
            raise serializers.ValidationError(f"This API key can only write to its own project ({self.context['project'].pk}).")
        return value

    def validate_tool_ids_to_add(self, value):
        return _tool_ids(value)

    def validate_folder_path(self, value):
        path = _optional_folder_path(value)
        if path is not None and not folder_exists(self.context["project"], path):
            raise serializers.ValidationError(f"Folder '{path}' does not exist. Create it with create_folder first.")
        return path


def bulk_update(project: Project, data) -> list[Scenario]:
    """Apply one bulk update to every listed scenario, all in one transaction."""
    body = BulkUpdateSerializer(data=data, context={"project": project})
    body.is_valid(raise_exception=True)
    v = body.validated_data
    rows = own_scenarios(project, v["scenarios"])
    phone = v.get("phone_number", v.get("inbound_phone_number", ...))
    with transaction.atomic():
        for row in rows:
            if "agent" in v:
                row.agent = v["agent"]
            if "personality" in v:
                row.personality = v["personality"]
            if "test_profile" in v:
                row.test_profile = v["test_profile"]
            if phone is not ...:
                row.inbound_phone_number = phone
            if "first_message" in v:
                row.first_message = v["first_message"]
            if "folder_path" in v:
                row.folder_path = v["folder_path"]
            if v.get("append_instruction"):
                row.instructions = f"{row.instructions}\n{v['append_instruction']}" if row.instructions else v["append_instruction"]
            tools = [t for t in (row.tool_ids or []) if t not in set(v.get("tool_ids_to_remove", []))]
            row.tool_ids = list(dict.fromkeys([*tools, *v.get("tool_ids_to_add", [])]))
            row.save()
            if v.get("metric_ids_to_add"):
                row.metrics.add(*v["metric_ids_to_add"])
            if v.get("metric_ids_to_remove"):
                row.metrics.remove(*v["metric_ids_to_remove"])
    return list(Scenario.objects.filter(pk__in=[r.pk for r in rows]).order_by("id"))


def export_rows(project: Project, params) -> list[Scenario]:
    """The scenarios an export names (`scenario_ids`, comma-separated), else all of the agent's or project's."""
    raw = (params.get("scenario_ids") or "").strip()
    if raw:
        return own_scenarios(project, [s.strip() for s in raw.split(",") if s.strip()], field="scenario_ids")
    qs = Scenario.objects.filter(project=project)
    agent_id = params.get("agent_id")
    if agent_id:
        if not str(agent_id).isdigit():
            raise serializers.ValidationError({"agent_id": ["A valid integer is required."]})
        if int(agent_id) > MAX_DB_ID:  # no row can have it (and the database would overflow on it)
            return []
        qs = qs.filter(agent_id=int(agent_id))
    return list(qs.order_by("id"))


def export_record(row: Scenario) -> dict:
    """One scenario as an export row (ids for references, lists kept as lists)."""
    return {
        "id": row.pk, "name": row.name, "agent": row.agent_id, "personality": row.personality_id,
        "instructions": row.instructions, "expected_outcome_prompt": row.expected_outcome_prompt,
        "first_message": row.first_message, "scenario_language": row.scenario_language,
        "scenario_type": row.scenario_type, "tags": list(row.tags or []), "tool_ids": list(row.tool_ids or []),
        "metrics": sorted(m.pk for m in row.metrics.all()), "test_profile": row.test_profile_id,
        "folder_path": row.folder_path, "attack_type": row.attack_type,
    }  # fmt: skip


def _flat(record: dict) -> dict:
    """An export record with lists `;`-joined and None as empty, for tabular formats."""
    return {k: ";".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v) for k, v in record.items()}


def export_csv(rows: list[Scenario]) -> str:
    """CSV with a header; list columns are `;`-joined."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(_flat(export_record(row)))
    return out.getvalue()


def export_xlsx(rows: list[Scenario]) -> bytes:
    """The CSV table as an Excel workbook (one sheet, "Scenarios")."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Scenarios")
    sheet.write_row(0, 0, EXPORT_COLUMNS)
    for index, row in enumerate(rows, start=1):
        record = _flat(export_record(row))
        sheet.write_row(index, 0, [record[column] for column in EXPORT_COLUMNS])
    book.close()
    return out.getvalue()


def duplicate(project: Project, data) -> list[Scenario]:
    """Copy scenarios (ids, "all", or a folder path) of the key's project into it or into a project it created.

    A copy into another project takes its agent along (one copy of each source agent, with its tools,
    variables and files), keeps global personalities, maps default metrics by their predefined metric, and
    drops references that exist only in the source project (test profile, phone number, own personality).
    """
    from scenarist.compat.v2_agents import duplicate as duplicate_agent

    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": ["Expected an object."]})
    if data.get("project") not in (None, "", project.pk, str(project.pk)):
        raise serializers.ValidationError({"project": [f"This API key can only copy from its own project ({project.pk})."]})
    target_id = data.get("copy_to_project", project.pk)
    target = (Project.objects.filter(pk=project.pk) | Project.objects.filter(parent=project)).filter(
        pk=int(target_id) if str(target_id).isdigit() else -1).first()  # fmt: skip
    if target is None:
        raise serializers.ValidationError({"copy_to_project": [f'Project "{target_id}" does not exist.']})
    rows = _selected(project, data.get("scenarios"))
    agents: dict[int, Agent] = {}
    copies = []
    with transaction.atomic():
        for row in rows:
            metrics = list(row.metrics.all())
            copy = Scenario.objects.get(pk=row.pk)
            copy.pk = None
            copy.job, copy.job_index = None, None
            if target.pk != project.pk:
                if row.agent_id not in agents:
                    agents[row.agent_id] = duplicate_agent(row.agent, name=row.agent.agent_name)
                    Agent.objects.filter(pk=agents[row.agent_id].pk).update(project=target)
                copy.project, copy.agent_id = target, agents[row.agent_id].pk
                copy.test_profile, copy.inbound_phone_number = None, None
                if copy.personality_id and copy.personality.project_id is not None:
                    copy.personality = None
                if copy.folder_path:
                    ensure_folder_path(target, copy.folder_path)
                metrics = list(Metric.objects.filter(project=target, predefined__in=[m.predefined_id for m in metrics
                                                                                     if m.predefined_id]))  # fmt: skip
            copy.save()
            copy.metrics.set(metrics)
            copies.append(copy)
    return copies


def _selected(project: Project, selector) -> list[Scenario]:
    """Scenarios named by a duplicate body: a list of ids, "all", or a folder path (its subtree)."""
    if selector == "all":
        return list(Scenario.objects.filter(project=project).order_by("id"))
    if isinstance(selector, str) and selector.strip():
        path = selector.strip()
        rows = [s for s in Scenario.objects.filter(project=project, folder_path__startswith=path).order_by("id")
                if s.folder_path == path or s.folder_path.startswith(path + ".")]  # fmt: skip
        if not rows:
            raise serializers.ValidationError({"scenarios": [f"No scenarios in folder '{path}'."]})
        return rows
    return own_scenarios(project, selector)
