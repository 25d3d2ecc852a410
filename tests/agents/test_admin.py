"""The admin shows every agents model (list and change pages render for an operator)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool


@pytest.fixture
def admin_client_(db):
    User.objects.create_superuser("op", "op@example.com", "pw")
    client = Client()
    client.login(username="op", password="pw")
    return client


def test_admin_pages_render(admin_client_, tenant):
    agent = Agent.objects.create(project=tenant.project, agent_name="A", description="Hi {{name}}")
    tool = MockTool.objects.create(agent=agent, name="t", information=[{"input": 1, "output": 2}])
    kb = KnowledgeBaseFile.objects.create(agent=agent, file_name="f.txt", file_type="text/plain", file_size=1,
                                          sha256="0" * 64, content=b"x", extracted_text="x", text_chars=1)  # fmt: skip
    var = DynamicVariable.objects.get(agent=agent, name="name")
    pages = [
        "/admin/agents/agent/", f"/admin/agents/agent/{agent.pk}/change/",
        "/admin/agents/mocktool/", f"/admin/agents/mocktool/{tool.pk}/change/",
        "/admin/agents/dynamicvariable/", f"/admin/agents/dynamicvariable/{var.pk}/change/",
        "/admin/agents/knowledgebasefile/", f"/admin/agents/knowledgebasefile/{kb.pk}/change/",
    ]  # fmt: skip
    for page in pages:
        r = admin_client_.get(page)
        assert r.status_code == 200, page
    assert b"f.txt" in admin_client_.get(f"/admin/agents/agent/{agent.pk}/change/").content
