"""One row of every kind in a project, created on demand (idempotent), with a lookup by path parameter."""

from __future__ import annotations

from dataclasses import dataclass

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Folder, Scenario, TestProfile

MARK = "ALPHA-SECRET"


@dataclass
class SeededRows:
    """Primary keys of a project's seeded rows, keyed by the resource segment of a path."""

    agent_id: int
    tool_name: str
    var_id: int
    file_id: int
    by_resource: dict[str, int]

    def get(self, param: str, path: str):
        """The real value for path parameter `param` of operation `path` (None when there is no such row)."""
        if param in ("agent_id", "var_id", "file_id", "tool_name"):
            return getattr(self, param)
        resource = path.strip("/").split("/")[2]
        return self.by_resource.get(resource)


def seed_rows(project, mark: str = MARK) -> SeededRows:
    """Create (once) an agent with a tool, a variable and a KB file, plus a personality, phone number, metric,
    test profile, folder and scenario in `project`; every text carries `mark`."""
    agent = Agent.objects.filter(project=project, agent_name=f"{mark} agent").first()
    if agent is None:
        agent = Agent.objects.create(project=project, agent_name=f"{mark} agent",
                                     description=f"{mark} prompt {{{{who}}}}")
    tool, _ = MockTool.objects.get_or_create(agent=agent, name="alpha_tool", defaults={
        "description": mark, "information": [{"input": {}, "output": mark}]})
    var, _ = DynamicVariable.objects.get_or_create(agent=agent, name="who")
    kb = KnowledgeBaseFile.objects.filter(agent=agent).first() or KnowledgeBaseFile.objects.create(
        agent=agent, file_name=f"{mark}.txt", file_type="text/plain", file_size=5, sha256="0" * 64,
        content=b"x", extracted_text=mark)
    personality, _ = Personality.objects.get_or_create(project=project, name=f"{mark} persona")
    phone, _ = PhoneNumber.objects.get_or_create(project=project, number="+15550001111", defaults={"name": mark})
    metric, _ = Metric.objects.get_or_create(project=project, name=f"{mark} metric", defaults={"description": mark})
    profile, _ = TestProfile.objects.get_or_create(project=project, agent=agent, name=f"{mark} profile",
                                                   defaults={"information": {"x": mark}})
    Folder.objects.get_or_create(project=project, path="alpha", defaults={"name": "alpha"})
    scenario, _ = Scenario.objects.get_or_create(project=project, agent=agent, name=f"{mark} scenario", defaults={
        "instructions": mark, "folder_path": "alpha", "personality": personality, "scenario_language": "en"})
    return SeededRows(
        agent_id=agent.pk, tool_name=tool.name, var_id=var.pk, file_id=kb.pk,
        by_resource={"aiagents": agent.pk, "personalities": personality.pk, "phone-numbers": phone.pk,
                     "metrics": metric.pk, "test-profiles": profile.pk, "scenarios": scenario.pk,
                     "projects": project.pk, "predefined-metrics": 1},
    )
