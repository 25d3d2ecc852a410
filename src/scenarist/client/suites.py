"""Scenario suites as files: export scenarios to YAML / JSON / CSV and import them back (round-trip safe).

A record holds every field needed to recreate a scenario on any agent: references to other rows travel by
name (personality, test profile inline, metrics, mock tools, KB files) and are resolved again on import.
Ids (`id`, `personality`, `tool_id`, `file_id`) are kept for reference only.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import yaml

from .errors import AuthenticationError, NotFoundError, ScenaristAPIError, ScenaristError
from .models import Scenario

if TYPE_CHECKING:
    from . import Scenarist

SUITE_FORMAT = "scenarist-suite"
SUITE_VERSION = 1


class SuiteFormat(str, Enum):
    """File formats of a suite."""

    YAML = "yaml"
    JSON = "json"
    CSV = "csv"


class Kind(str, Enum):
    """How a record field is written to CSV and read back."""

    TEXT = "text"          # always a string ("" stays "")
    OPTIONAL = "optional"  # a string or null ("" reads back as null)
    INT = "int"            # an integer or null
    JSON = "json"          # a list/object (or null), JSON-encoded in CSV


RECORD_FIELDS: tuple[tuple[str, Kind], ...] = (
    ("id", Kind.INT),
    ("name", Kind.TEXT),
    ("instructions", Kind.TEXT),
    ("expected_outcome_prompt", Kind.TEXT),
    ("first_message", Kind.TEXT),
    ("scenario_language", Kind.OPTIONAL),
    ("scenario_type", Kind.OPTIONAL),
    ("tags", Kind.JSON),
    ("tool_ids", Kind.JSON),
    ("personality", Kind.INT),
    ("personality_name", Kind.OPTIONAL),
    ("folder_path", Kind.OPTIONAL),
    ("test_profile", Kind.JSON),
    ("metric_names", Kind.JSON),
    ("generated_mock_tool_entries", Kind.JSON),
    ("attack_type", Kind.OPTIONAL),
    ("knowledge_base_sources", Kind.JSON),
)
FIELD_KINDS = dict(RECORD_FIELDS)
ID_KEYS = frozenset({"id", "personality", "tool_id", "file_id"})


class SuiteError(ScenaristError):
    """A suite file is malformed, or an import stopped part-way; the message says where."""


# ---------------------------------------------------------------- records


def record_from_scenario(scenario: Scenario | dict) -> dict[str, Any]:
    """The portable record of a scenario read from the API."""
    data = scenario.to_dict() if isinstance(scenario, Scenario) else dict(scenario)
    profile = data.get("test_profile_data")
    return {
        "id": data.get("id"),
        "name": data.get("name") or "",
        "instructions": data.get("instructions") or "",
        "expected_outcome_prompt": data.get("expected_outcome_prompt") or "",
        "first_message": data.get("first_message") if data.get("first_message") is not None else "Hello",
        "scenario_language": data.get("scenario_language"),
        "scenario_type": data.get("scenario_type"),
        "tags": list(data.get("tags") or []),
        "tool_ids": list(data.get("tool_ids") or []),
        "personality": data.get("personality"),
        "personality_name": data.get("personality_name"),
        "folder_path": data.get("folder_path") or None,
        "test_profile": ({"name": profile.get("name", ""), "information": profile.get("information") or {}}
                         if profile else None),
        "metric_names": list(data.get("metric_names") or []),
        "generated_mock_tool_entries": list(data.get("generated_mock_tool_entries") or []),
        "attack_type": data.get("attack_type") or None,
        "knowledge_base_sources": list(data.get("knowledge_base_sources") or []),
    }


def comparable(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without ids (at any depth), for comparing suites across agents and servers."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ID_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(record) for record in records]


# ---------------------------------------------------------------- files


class _SuiteDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so instructions stay readable in the file."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_SuiteDumper.add_representer(str, _str_presenter)


def format_of(path: str | Path, explicit: str | None = None) -> SuiteFormat:
    """The suite format: explicit, else from the file extension."""
    if explicit:
        return SuiteFormat(explicit)
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "yml":
        suffix = "yaml"
    try:
        return SuiteFormat(suffix)
    except ValueError:
        raise SuiteError(f"{path}: cannot tell the format from the extension; use .yaml, .json or .csv "
                         f"(or --format)") from None


def dump_suite(records: list[dict[str, Any]], fmt: SuiteFormat | str, *, meta: dict | None = None) -> str:
    """The suite as text in `fmt` (YAML/JSON wrap the records with a small header; CSV is one row each)."""
    fmt = SuiteFormat(fmt)
    rows = [_ordered(record) for record in records]
    if fmt is SuiteFormat.CSV:
        return _dump_csv(rows)
    document = {"format": SUITE_FORMAT, "version": SUITE_VERSION, **(meta or {}), "scenarios": rows}
    if fmt is SuiteFormat.JSON:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(document, Dumper=_SuiteDumper, sort_keys=False, allow_unicode=True, width=100)


def load_suite(text: str, fmt: SuiteFormat | str, *, source: str = "suite") -> list[dict[str, Any]]:
    """Records from suite text; SuiteError naming the row/field when malformed."""
    fmt = SuiteFormat(fmt)
    if fmt is SuiteFormat.CSV:
        records = _load_csv(text, source)
    else:
        try:
            document = json.loads(text) if fmt is SuiteFormat.JSON else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise SuiteError(f"{source}: not valid {fmt.value.upper()} ({str(exc).splitlines()[0]})") from None
        records = document.get("scenarios") if isinstance(document, dict) else document
        if not isinstance(records, list):
            raise SuiteError(f"{source}: expected a list of scenarios (or a mapping with `scenarios`)")
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise SuiteError(f"{source}: scenario {number} is not a mapping")
        if not str(record.get("name") or "").strip():
            raise SuiteError(f"{source}: scenario {number} has no name")
    return [_ordered(record) for record in records]


def read_suite_file(path: str | Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """Records of a suite file (format from `fmt` or the extension)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SuiteError(f"cannot read {path}: {exc.strerror or exc}") from None
    return load_suite(text, format_of(path, fmt), source=str(path))


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    """Known fields in a fixed order (missing ones as their empty value), unknown ones after them."""
    ordered = {name: record.get(name, _empty(kind, name)) for name, kind in RECORD_FIELDS}
    ordered.update({k: v for k, v in record.items() if k not in FIELD_KINDS})
    return ordered


def _empty(kind: Kind, name: str) -> Any:
    if kind is Kind.TEXT:
        return "Hello" if name == "first_message" else ""
    if kind is Kind.JSON and name not in ("test_profile",):
        return []
    return None


def _dump_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = [name for name, _ in RECORD_FIELDS]
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _csv_cell(row.get(name), FIELD_KINDS[name]) for name in columns})
    return buffer.getvalue()


def _csv_cell(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.JSON:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _load_csv(text: str, source: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise SuiteError(f"{source}: the CSV has no header row with a `name` column")
    records = []
    for number, row in enumerate(reader, start=1):
        record: dict[str, Any] = {}
        for name, cell in row.items():
            if name is None:
                raise SuiteError(f"{source}: row {number} has more cells than the header")
            record[name] = _from_cell(cell or "", FIELD_KINDS.get(name, Kind.TEXT), source, number, name)
        records.append(record)
    return records


def _from_cell(cell: str, kind: Kind, source: str, number: int, name: str) -> Any:
    if kind is Kind.TEXT:
        return cell
    if cell == "":
        return None
    if kind is Kind.OPTIONAL:
        return cell
    if kind is Kind.INT:
        try:
            return int(cell)
        except ValueError:
            raise SuiteError(f"{source}: row {number}, {name}: expected an integer, got {cell!r}") from None
    try:
        return json.loads(cell)
    except ValueError:
        raise SuiteError(f"{source}: row {number}, {name}: not valid JSON") from None


# ---------------------------------------------------------------- export / import over the API


def export_records(client: Scenarist, *, agent_id: int | None = None,
                   folder_path: str | None = None) -> list[dict[str, Any]]:
    """Records of the project's scenarios (optionally one agent's, one folder's), in id order."""
    return [record_from_scenario(s) for s in client.scenarios.iter(agent_id=agent_id, folder_path=folder_path)]


@dataclass
class ImportReport:
    """What an import created, and what it could not carry over."""

    created: list[Scenario] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels of records the agent already has


class _Resolver:
    """Name → id lookups on the target project/agent, read once per import."""

    def __init__(self, client: Scenarist, agent_id: int):
        self.client = client
        self.agent_id = agent_id
        self.tools = {t.name: t.id for t in client.agents.tools(agent_id).iter()}
        self.kb_files: dict[str, int] = {}
        for kb in client.agents.knowledge_base(agent_id).iter():
            self.kb_files.setdefault(kb.file_name, kb.id)
        personalities = client.personalities.list()
        self.personality_ids = {p.id for p in personalities}
        self.personalities: dict[str, int] = {}
        for p in personalities:
            self.personalities.setdefault(p.name, p.id)
        self.metrics: dict[str, int] = {}
        for metric in sorted(client.metrics.iter(), key=lambda m: m.id):
            self.metrics.setdefault(metric.name, metric.id)
        self.profiles = {_profile_key(p.name, p.information): p.id
                         for p in client.test_profiles.list(agent_id=agent_id) if p.agent == agent_id}
        self.folders = {f.path for f in client.scenarios.folders()}
        self.existing = {_identity(s.to_dict()) for s in client.scenarios.iter(agent_id=agent_id)}

    def folder(self, path: str | None) -> str | None:
        if path and path not in self.folders:
            self.client.scenarios.ensure_folder(path)
            parts = path.split(".")
            self.folders.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return path or None

    def profile(self, inline: dict | None) -> int | None:
        if not inline:
            return None
        name, information = str(inline.get("name") or "Imported profile"), inline.get("information") or {}
        key = _profile_key(name, information)
        if key not in self.profiles:
            created = self.client.test_profiles.create(name=name, agent=self.agent_id, information=information)
            self.profiles[key] = created.id
        return self.profiles[key]


def _profile_key(name: str, information: Any) -> tuple[str, str]:
    return name, json.dumps(information or {}, sort_keys=True)


def _identity(record: dict[str, Any]) -> tuple[str, str, str]:
    """What makes two scenarios the same one for an import: name, instructions and expected outcome."""
    return (str(record.get("name") or ""), str(record.get("instructions") or ""),
            str(record.get("expected_outcome_prompt") or ""))


def _label(record: dict[str, Any], number: int) -> str:
    """How a warning names a record: its name, its place in the file and the id it was exported with."""
    exported = f", exported as scenario {record['id']}" if record.get("id") is not None else ""
    return f"{record.get('name')!r} (#{number} in the file{exported})"


def import_records(client: Scenarist, agent_id: int, records: list[dict[str, Any]], *,
                   allow_duplicates: bool = False) -> ImportReport:
    """Create every record as a scenario of `agent_id` (folders and test profiles created as needed); a record the
    agent already has (same name, instructions and expected outcome) is skipped unless `allow_duplicates`."""
    try:
        client.agents.get(agent_id)
    except NotFoundError:
        raise SuiteError(f"agent {agent_id} not found (no agent with that id in this key's project)") from None
    resolver = _Resolver(client, agent_id)
    report = ImportReport()
    for number, record in enumerate(records, start=1):
        if not allow_duplicates and _identity(record) in resolver.existing:
            report.skipped.append(_label(record, number))
            continue
        body = _scenario_body(record, agent_id, resolver, report.warnings, number)
        try:
            report.created.append(client.scenarios.create(**body))
        except AuthenticationError:
            raise
        except ScenaristAPIError as exc:
            raise SuiteError(f"scenario {_label(record, number)} was refused — {exc}\n"
                             f"  {len(report.created)} scenario(s) were created before it") from None
        resolver.existing.add(_identity(record))
    return report


def _scenario_body(record: dict[str, Any], agent_id: int, resolver: _Resolver, warnings: list[str],
                   number: int) -> dict[str, Any]:
    """The create body of one record, with references resolved on the target agent/project."""
    label = _label(record, number)
    body: dict[str, Any] = {
        "agent": agent_id,
        "name": record["name"],
        "instructions": record.get("instructions") or "",
        "expected_outcome_prompt": record.get("expected_outcome_prompt") or "",
        "first_message": record.get("first_message"),
        "scenario_language": record.get("scenario_language") or None,
        "scenario_type": record.get("scenario_type") or None,
        "tags": list(record.get("tags") or []),
        "tool_ids": list(record.get("tool_ids") or []),
        "attack_type": record.get("attack_type") or None,
        "folder_path": resolver.folder(record.get("folder_path")),
        "test_profile": resolver.profile(record.get("test_profile")),
    }
    personality = resolver.personalities.get(record.get("personality_name") or "")
    if personality is None and record.get("personality") in resolver.personality_ids:
        personality = record["personality"]
    if personality is None and (record.get("personality_name") or record.get("personality")):
        warnings.append(f"{label}: personality {record.get('personality_name') or record.get('personality')!r} "
                        f"not found; the project default is used")
    body["personality"] = personality
    metric_ids = []
    for name in record.get("metric_names") or []:
        if name in resolver.metrics:
            metric_ids.append(resolver.metrics[name])
        else:
            warnings.append(f"{label}: metric {name!r} not found in the project; skipped")
    body["metrics"] = metric_ids
    entries = []
    for entry in record.get("generated_mock_tool_entries") or []:
        tool_id = resolver.tools.get(entry.get("tool_name"))
        if tool_id is None:
            warnings.append(f"{label}: agent {agent_id} has no tool {entry.get('tool_name')!r}; its expected call "
                            f"is kept without a tool id (add the tool to the agent, or edit the scenario)")
        entries.append({**entry, "tool_id": tool_id})
    body["generated_mock_tool_entries"] = entries
    sources = []
    for source in record.get("knowledge_base_sources") or []:
        file_id = resolver.kb_files.get(source.get("file_name") or "")
        if file_id is None:
            warnings.append(f"{label}: KB file {source.get('file_name')!r} is not on agent {agent_id}; "
                            f"its source quote was dropped")
            continue
        sources.append({**source, "file_id": file_id})
    body["knowledge_base_sources"] = sources
    return {key: value for key, value in body.items() if value is not None or key in ("test_profile",)}
