"""Row factories for the catalog/metrics/scenarios tests (ORM only; the agents API is another room's)."""

from __future__ import annotations

import hashlib

from scenarist.agents.models import Agent, KnowledgeBaseFile


def make_agent(project, name: str = "Clinic bot", **fields) -> Agent:
    """An agent of `project` with a short system prompt."""
    fields.setdefault("description", "You book appointments for a dental clinic.")
    return Agent.objects.create(project=project, agent_name=name, **fields)


def make_kb_file(agent: Agent, name: str = "faq.txt", text: str = "Opening hours: 9 to 5.") -> KnowledgeBaseFile:
    """A knowledge-base text file of `agent`."""
    raw = text.encode()
    return KnowledgeBaseFile.objects.create(
        agent=agent, file_name=name, file_type="text/plain", file_size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(), content=raw, extracted_text=text,
    )
