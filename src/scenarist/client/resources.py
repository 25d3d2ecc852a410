"""Resource namespaces of the client: one class per API collection, all built on `Collection`."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Iterable, Iterator, TypeVar

from .errors import NotFoundError, ScenaristAPIError, ScenaristError
from .jobs import ClientJob, JobFamily
from .models import (
    Agent,
    ApiModel,
    CallerTool,
    CleanDescription,
    DynamicVariable,
    Folder,
    KnowledgeBaseFile,
    Metric,
    Page,
    Personality,
    PhoneNumber,
    PredefinedMetric,
    Scenario,
    TestProfile,
    Tool,
)

if TYPE_CHECKING:
    from .transport import Transport

M = TypeVar("M", bound=ApiModel)
DEFAULT_PAGE_SIZE = 100


def _drop_unset(fields: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments left at None are not sent (the server keeps its default)."""
    return {key: value for key, value in fields.items() if value is not None}


def _with_context(context: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call; an API error says what was being done."""
    try:
        return call(*args, **kwargs)
    except ScenaristAPIError as exc:
        raise exc.add_context(context) from None


def _results(body: Any) -> list[dict]:
    """Rows of a bare array or of a paginated body (servers differ on which lists are paginated)."""
    if isinstance(body, dict) and "results" in body:
        return body["results"]
    return list(body or [])


class Collection(Generic[M]):
    """A REST collection at `path` whose rows are `model`; `paginated` lists answer `{count, next, results}`."""

    model: type[M]
    paginated = True

    def __init__(self, transport: Transport, path: str):
        self._t = transport
        self.path = path

    def _one(self, body: Any) -> M:
        return self.model.model_validate(body)

    def _page(self, body: Any) -> Page[M]:
        if isinstance(body, dict) and "results" in body:
            return Page[self.model].model_validate(body)
        rows = _results(body)
        return Page[self.model].model_validate({"count": len(rows), "results": rows})

    def list(self, *, page: int | None = None, page_size: int | None = None, **filters: Any) -> Any:
        """One page (paginated collections: a `Page`) or the whole list (bare-array collections: a list)."""
        params = {**filters, "page": page, "page_size": page_size}
        body = self._t.request("GET", self.path, params=params)
        if self.paginated:
            return self._page(body)
        return [self._one(row) for row in _results(body)]

    def iter(self, *, page_size: int = DEFAULT_PAGE_SIZE, **filters: Any) -> Iterator[M]:
        """Every row, fetching page after page (by page number, so a proxy's `next` URLs do not matter)."""
        if not self.paginated:
            yield from self.list(**filters)
            return
        page = 1
        while True:
            current = self.list(page=page, page_size=page_size, **filters)
            yield from current.results
            if not current.next or not current.results:
                return
            page += 1

    def all(self, **filters: Any) -> list[M]:
        """`list(self.iter(**filters))`."""
        return list(self.iter(**filters))

    def get(self, id: int | str) -> M:
        """One row by id."""
        return self._one(self._t.request("GET", f"{self.path}{id}/"))

    def create(self, **fields: Any) -> M:
        """Create a row; fields left at None are not sent."""
        return self._one(self._t.request("POST", self.path, json=_drop_unset(fields)))

    def update(self, id: int | str, **fields: Any) -> M:
        """PATCH the given fields (None is sent as null here: pass only what should change)."""
        return self._one(self._t.request("PATCH", f"{self.path}{id}/", json=fields))

    def delete(self, id: int | str) -> None:
        """Delete a row."""
        self._t.request("DELETE", f"{self.path}{id}/")


# ---------------------------------------------------------------- agents and what hangs off them


class AgentTools(Collection[Tool]):
    """Mock tools of one agent, addressed by name."""

    model = Tool

    def __init__(self, transport: Transport, agent_id: int):
        super().__init__(transport, f"aiagents/{agent_id}/tools/")
        self._detail = f"aiagents/{agent_id}/tool/"

    def get(self, name: str) -> Tool:
        """One tool by name."""
        return self._one(self._t.request("GET", f"{self._detail}{name}/"))

    def update(self, name: str, **fields: Any) -> Tool:
        """PATCH a tool (an `information` list replaces the whole list)."""
        return self._one(self._t.request("PATCH", f"{self._detail}{name}/", json=fields))

    def delete(self, name: str) -> None:
        """Delete a tool by name."""
        self._t.request("DELETE", f"{self._detail}{name}/")


class AgentVariables(Collection[DynamicVariable]):
    """Dynamic variables of one agent (a bare array; POST upserts by name)."""

    model = DynamicVariable
    paginated = False

    def __init__(self, transport: Transport, agent_id: int):
        super().__init__(transport, f"aiagents/{agent_id}/dynamic-variables/")
        self._detail = f"aiagents/{agent_id}/dynamic-variable/"

    def upsert(self, variables: Iterable[dict[str, Any]]) -> list[DynamicVariable]:
        """Create or update variables by name; returns the agent's full list."""
        body = self._t.request("POST", self.path, json=list(variables))
        return [self._one(row) for row in _results(body)]

    def create(self, **fields: Any) -> DynamicVariable:
        """Upsert one variable; returns it."""
        rows = self.upsert([_drop_unset(fields)])
        return next(row for row in rows if row.name == fields.get("name"))

    def get(self, id: int) -> DynamicVariable:
        """One variable by id (looked up in the list)."""
        for row in self.list():
            if row.id == id:
                return row
        raise NotFoundError(404, {"detail": "Not found."}, method="GET", path=self._detail + f"{id}/")

    def update(self, id: int, **fields: Any) -> DynamicVariable:
        """PATCH one variable."""
        return self._one(self._t.request("PATCH", f"{self._detail}{id}/", json=fields))

    def delete(self, id: int) -> None:
        """Delete one variable."""
        self._t.request("DELETE", f"{self._detail}{id}/")


class AgentKnowledgeBase(Collection[KnowledgeBaseFile]):
    """Knowledge-base files of one agent."""

    model = KnowledgeBaseFile

    def __init__(self, transport: Transport, agent_id: int):
        super().__init__(transport, f"aiagents/{agent_id}/knowledge_base/")
        self._agent_path = f"aiagents/{agent_id}/"

    def upload(self, paths: Iterable[str | Path]) -> list[KnowledgeBaseFile]:
        """Upload files (multipart, all or nothing); returns the created file rows."""
        handles = []
        try:
            files = []
            for path in map(Path, paths):
                handle = open(path, "rb")
                handles.append(handle)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                files.append(("files", (path.name, handle, mime)))
            body = self._t.request("POST", self._agent_path + "upload_knowledge_base/", files=files)
        finally:
            for handle in handles:
                handle.close()
        return [self._one(row) for row in _results(body)]

    def delete_many(self, file_ids: Iterable[int] | None = None) -> int:
        """Delete the given files (None = all of the agent's files); returns how many were deleted."""
        body = {"file_ids": list(file_ids)} if file_ids is not None else None
        answer = self._t.request("DELETE", self._agent_path + "delete_knowledge_base/", json=body)
        return int((answer or {}).get("deleted_count", 0))

    def create(self, **fields: Any) -> KnowledgeBaseFile:  # pragma: no cover - guidance only
        """Not a POST collection: use `upload(paths)`."""
        raise TypeError("use upload(paths) to add knowledge-base files")


class Agents(Collection[Agent]):
    """`aiagents/`: agents, plus their tools, variables and knowledge base."""

    model = Agent

    def create(self, *, agent_name: str, description: str, **fields: Any) -> Agent:
        """Create an agent (`language`, `inbound`, `contact_number`, `assistant_id`, … as keywords)."""
        return super().create(agent_name=agent_name, description=description, **fields)

    def tools(self, agent_id: int) -> AgentTools:
        """The agent's mock tools."""
        return AgentTools(self._t, agent_id)

    def dynamic_variables(self, agent_id: int) -> AgentVariables:
        """The agent's dynamic variables."""
        return AgentVariables(self._t, agent_id)

    def knowledge_base(self, agent_id: int) -> AgentKnowledgeBase:
        """The agent's knowledge-base files."""
        return AgentKnowledgeBase(self._t, agent_id)

    def upload_knowledge_base(self, agent_id: int, paths: Iterable[str | Path]) -> list[KnowledgeBaseFile]:
        """Upload KB files to an agent."""
        return self.knowledge_base(agent_id).upload(paths)

    def create_from_dir(self, directory: str | Path, **overrides: Any) -> Agent:
        """Create an agent with its tools, variables and KB files from an agent directory (see `agent_dir`)."""
        from .agent_dir import load_agent_dir

        spec = load_agent_dir(directory)
        agent = self.create(**{**spec.agent_fields(), **_drop_unset(overrides)})
        try:
            tools = self.tools(agent.id)
            for tool in spec.tools:
                _with_context(f"tool {tool['name']!r}", tools.create, **tool)
            if spec.variables:
                _with_context("variables", self.dynamic_variables(agent.id).upsert, spec.variables)
            if spec.kb_files:
                _with_context("knowledge base", self.upload_knowledge_base, agent.id, spec.kb_files)
        except ScenaristError:
            # All or nothing: a half-built agent would silently generate from partial inputs.
            try:
                self.delete(agent.id)
            except ScenaristError:
                pass
            raise
        return self.get(agent.id)


# ---------------------------------------------------------------- catalogue


class Personalities(Collection[Personality]):
    """`personalities/` (bare array)."""

    model = Personality
    paginated = False


class TestProfiles(Collection[TestProfile]):
    """`test-profiles/` (bare array; filter `agent_id`)."""

    __test__ = False
    model = TestProfile
    paginated = False


class PhoneNumbers(Collection[PhoneNumber]):
    """`phone-numbers/` (bare array)."""

    model = PhoneNumber
    paginated = False


class PredefinedMetrics(Collection[PredefinedMetric]):
    """`predefined-metrics/` (read-only, bare array)."""

    model = PredefinedMetric
    paginated = False


class CallerTools(Collection[CallerTool]):
    """`caller-tools/` (read-only, bare array)."""

    model = CallerTool
    paginated = False


# ---------------------------------------------------------------- metrics and scenarios (with their jobs)


class Metrics(Collection[Metric]):
    """`metrics/` plus the clean-description job."""

    model = Metric

    def clean(self, *, agent: int, metric_description: str, eval_type: str = "boolean") -> ClientJob:
        """Start a clean-description job; `wait()` on the result returns a `CleanDescription`."""
        body = {"agent": agent, "metric_description": metric_description, "eval_type": eval_type}
        answer = self._t.request("POST", "metrics/generate_clean_description_bg/", json=body)
        return ClientJob(self._t, JobFamily.CLEAN_DESCRIPTION, answer["progress_id"])

    def clean_sync(self, *, agent: int, metric_description: str, eval_type: str = "boolean") -> CleanDescription:
        """The synchronous clean-description endpoint."""
        body = {"agent": agent, "metric_description": metric_description, "eval_type": eval_type}
        return CleanDescription.model_validate(
            self._t.request("POST", "metrics/generate_clean_description/", json=body))

    def clean_job(self, progress_id: str) -> ClientJob:
        """Re-attach to a clean-description job by its progress id."""
        return ClientJob(self._t, JobFamily.CLEAN_DESCRIPTION, progress_id)


class Scenarios(Collection[Scenario]):
    """`scenarios/`: CRUD with filters, folders, and the generation job."""

    model = Scenario

    def list(self, *, page: int | None = None, page_size: int | None = None, agent_id: int | None = None,
             tags: Iterable[str] | str | None = None, tag_filter_type: str | None = None,
             folder_path: str | None = None, scenario_type: str | None = None, **filters: Any) -> Page[Scenario]:
        """One page of scenarios (filters: agent_id, tags, tag_filter_type, folder_path, scenario_type)."""
        if tags is not None and not isinstance(tags, str):
            tags = ",".join(tags)
        return super().list(page=page, page_size=page_size, agent_id=agent_id, tags=tags,
                            tag_filter_type=tag_filter_type, folder_path=folder_path,
                            scenario_type=scenario_type, **filters)

    def generate(self, *, agent_id: int | None = None, num_scenarios: int, scenario_type: str = "workflow",
                 attack_type: str | None = None, **options: Any) -> ClientJob:
        """Start a generation job (options: assistant_id, personalities, test_profile, knowledge_base,
        extra_instructions, expected_outcome, inbound_phone_number, first_message, generate_expected_outcomes,
        tags, tool_ids, folder_path); `wait()` returns the list of `Scenario`."""
        body = _drop_unset({"agent_id": agent_id, "num_scenarios": num_scenarios, "scenario_type": scenario_type,
                            "attack_type": attack_type, **options})
        answer = self._t.request("POST", "scenarios/generate-bg/", json=body)
        return ClientJob(self._t, JobFamily.GENERATION, answer["progress_id"])

    def generation_job(self, progress_id: str) -> ClientJob:
        """Re-attach to a generation job by its progress id."""
        return ClientJob(self._t, JobFamily.GENERATION, progress_id)

    # folders

    def folders(self, *, parent_path: str | None = None, search: str | None = None) -> list[Folder]:
        """Every folder of the project (optionally the children of one path, or a name search)."""
        rows: list[Folder] = []
        page = 1
        while True:
            body = self._t.request("GET", "scenarios/folders/", params={
                "parent_path": parent_path, "search": search, "page": page, "page_size": DEFAULT_PAGE_SIZE})
            rows.extend(Folder.model_validate(row) for row in _results(body))
            if not (isinstance(body, dict) and body.get("next")):
                return rows
            page += 1

    def create_folder(self, name: str, parent_path: str | None = None) -> Folder:
        """Create one folder under `parent_path` (which must exist)."""
        body = _drop_unset({"name": name, "parent_path": parent_path})
        return Folder.model_validate(self._t.request("POST", "scenarios/create_folder/", json=body))

    def ensure_folder(self, path: str) -> None:
        """Create the dotted `path` and any missing parents."""
        existing = {folder.path for folder in self.folders()}
        parts = path.split(".")
        for depth in range(1, len(parts) + 1):
            current = ".".join(parts[:depth])
            if current not in existing:
                self.create_folder(parts[depth - 1], ".".join(parts[: depth - 1]) or None)
                existing.add(current)

    def rename_folder(self, path: str, name: str) -> Folder:
        """Rename a folder; its subtree and scenarios follow."""
        return Folder.model_validate(
            self._t.request("POST", "scenarios/rename_folder/", json={"path": path, "name": name}))

    def move_folder(self, path: str, new_parent_path: str | None) -> Folder:
        """Move a folder under another (None = the root)."""
        body = {"path": path, "new_parent_path": new_parent_path or ""}
        return Folder.model_validate(self._t.request("POST", "scenarios/move_folder/", json=body))

    def delete_folder(self, path: str) -> None:
        """Delete a folder, its subfolders and their scenarios."""
        self._t.request("POST", "scenarios/delete_folder/", json={"path": path})
