"""The v2 agent shape (nested `telephony`/`provider`, full-set `mock_tools`/`dynamic_variables`/KB files),
read from and written to the same Agent, MockTool, DynamicVariable and KnowledgeBaseFile rows as v1.

Every field v1 also has is validated by the v1 serializers, so an agent written through v2 is exactly the
agent v1 would have stored and generates the same way.
"""

from __future__ import annotations

from django.db import transaction
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool
from scenarist.agents.serializers import AgentSerializer, DynamicVariableSerializer, MockToolSerializer
from scenarist.agents.uploads import _from_base64, check_files, save_files

# v2 key → v1 column, for the fields both versions have.
TOP_LEVEL = {"name": "agent_name", "description": "description", "language": "language",
             "agent_speaks_first": "agent_gives_first_message"}  # fmt: skip
TELEPHONY = {"phone_number": "contact_number", "inbound": "inbound"}
PROVIDER = {"agent_id": "assistant_id"}
# Stored in Agent.connection and returned as sent (Scenarist does not place calls or talk to providers).
TELEPHONY_STORED = ("sip_uri", "sip_auth", "websocket_url", "websocket_auth", "outbound_numbers")
PROVIDER_STORED = ("type", "chat_agent_details", "auto_dial_outbound", "auto_import_calls", "auto_sync_prompt",
                   "send_post_conversation_metadata", "redact_fields")  # fmt: skip
TOP_STORED = ("predefined_metrics", "mock_tools_enabled", "webhook_url", "email_id")
# Secrets: only the fact that one was given is kept.
SECRETS = {("provider", "credentials"): "credentials_configured", ("", "webhook_secret"): "webhook_secret_configured"}
V1_TO_V2_ERRORS = {"agent_name": "name", "agent_gives_first_message": "agent_speaks_first",
                   "contact_number": "telephony.phone_number", "inbound": "telephony.inbound",
                   "assistant_id": "provider.agent_id"}  # fmt: skip


def represent(agent: Agent) -> dict:
    """The v2 read shape of an agent."""
    conn = agent.connection or {}
    tel, prov = conn.get("telephony") or {}, conn.get("provider") or {}
    return {
        "id": agent.pk,
        "name": agent.agent_name,
        "description": agent.description,
        "project": agent.project_id,
        "language": agent.language,
        "agent_speaks_first": agent.agent_gives_first_message,
        "telephony": {
            "phone_number": agent.contact_number or None,
            "inbound": agent.inbound,
            **{key: tel.get(key) for key in TELEPHONY_STORED},
        },
        "provider": {
            "type": prov.get("type"),
            "agent_id": agent.assistant_id or None,
            "credentials_configured": bool(prov.get("credentials_configured")),
            "chat_provider": (prov.get("chat_agent_details") or {}).get("type"),
            **{key: prov.get(key) for key in PROVIDER_STORED if key != "type"},
        },
        **{key: conn.get(key) for key in TOP_STORED},
        "webhook_secret_configured": bool(conn.get("webhook_secret_configured")),
        "mock_tools_provider": None,
        "mock_tools": [_tool(tool) for tool in agent.tools.all()],
        "dynamic_variables": [
            {"id": v.pk, "name": v.name, "description": v.description, "auto_detected": v.auto_detected}
            for v in agent.dynamic_variables.all()
        ],
        "knowledge_base_files": [
            {"id": f.pk, "file_name": f.file_name, "file_type": f.file_type, "file_size": f.file_size,
             "created_at": f.created_at}
            for f in agent.knowledge_base_files.all()
        ],
        "created_at": agent.created_at,
        "updated_at": agent.updated_at,
    }


def _tool(tool: MockTool) -> dict:
    """A mock tool in the v2 shape (`mock_data` is v1's `information`)."""
    return {"id": tool.pk, "name": tool.name, "description": tool.description, "mock_data": tool.information,
            "freetext_params": tool.freetext_params, "parameters": tool.parameters,
            "served_via": {"type": "direct", "mock_index": None, "url": None},
            "is_shared": False, "subscriber_count": 1}  # fmt: skip


def short(agent: Agent) -> dict:
    """The short-list shape: id, name, project."""
    return {"id": agent.pk, "name": agent.agent_name, "project": agent.project_id}


class V2AgentWriter:
    """Validate a v2 body completely, then write the agent and its tools, variables and files in one transaction."""

    def __init__(self, data, *, project, instance: Agent | None = None, partial: bool = False):
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["Expected a JSON object."]})
        self.data, self.project, self.instance, self.partial = data, project, instance, partial

    def save(self) -> Agent:
        """Validate everything first (one 400 with every problem), then write."""
        errors: dict = {}
        flat = self._flat(errors)
        agent_ser = AgentSerializer(self.instance, data=flat, partial=self.partial, context={"project": self.project})
        if not agent_ser.is_valid():
            for field, messages in agent_ser.errors.items():
                errors.setdefault(V1_TO_V2_ERRORS.get(field, field), []).extend(messages)
        tools = self._tools(errors)
        variables = self._variables(errors)
        files = self._files(errors)
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            agent = agent_ser.save(project=self.project) if self.instance is None else agent_ser.save()
            agent.connection = self._connection(agent.connection or {})
            agent.save(update_fields=["connection", "updated_at"])
            if tools is not None:
                _apply_tools(agent, tools)
            if variables is not None:
                _apply_variables(agent, variables)
            if files is not None:
                keep, new = files
                agent.knowledge_base_files.exclude(pk__in=keep).delete()
                save_files(agent, new)
        return Agent.objects.get(pk=agent.pk)

    # ------------------------------------------------------------ validation

    def _flat(self, errors: dict) -> dict:
        """The v1 columns carried by the body."""
        data, flat = self.data, {}
        if "project" in data and data["project"] not in (None, "", self.project.pk, str(self.project.pk)):
            errors["project"] = [f"This API key can only write to its own project ({self.project.pk})."]
        for v2, v1 in TOP_LEVEL.items():
            if v2 in data:
                flat[v1] = data[v2]
        if "agent_name" in data and "name" not in data:  # the flat v1 spelling, as some clients send
            flat["agent_name"] = data["agent_name"]
        for block, mapping in (("telephony", TELEPHONY), ("provider", PROVIDER)):
            section = data.get(block)
            if section is None:
                continue
            if not isinstance(section, dict):
                errors[block] = ["Expected an object."]
                continue
            flat.update({v1: section[v2] for v2, v1 in mapping.items() if v2 in section})
        provider = data.get("provider")
        if isinstance(provider, dict) and provider.get("configure_from_provider"):
            errors["provider.configure_from_provider"] = [
                "Not part of Scenarist: it does not connect to voice providers; send the agent's prompt, "
                "tools and variables instead."
            ]
        return flat

    def _tools(self, errors: dict) -> list | None:
        """The desired mock-tool set: (existing row or None, validated v1 data) per entry."""
        raw = self.data.get("mock_tools")
        if raw is None:
            return None
        if not isinstance(raw, list):
            errors["mock_tools"] = ["Expected a list of tools."]
            return None
        existing = {t.pk: t for t in self.instance.tools.all()} if self.instance else {}
        by_name = {t.name: t for t in existing.values()}
        out, seen = [], set()
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                errors.setdefault("mock_tools", []).append(f"Item {index}: expected an object.")
                continue
            row = existing.get(item.get("id")) or by_name.get(item.get("name"))
            if item.get("id") is not None and item["id"] not in existing:
                errors.setdefault("mock_tools", []).append(f"Item {index}: no tool with id {item['id']} on this agent.")
                continue
            body = {k: item[k] for k in ("name", "description", "parameters", "freetext_params") if k in item}
            if "mock_data" in item or "information" in item:
                body["information"] = item.get("mock_data", item.get("information"))
            ser = MockToolSerializer(row, data=body, partial=row is not None, context={"agent": self.instance})
            if not ser.is_valid():
                for field, messages in ser.errors.items():
                    errors.setdefault("mock_tools", []).extend(f"Item {index}: {field}: {m}" for m in messages)
                continue
            name = ser.validated_data.get("name", row.name if row else "")
            if name in seen:
                errors.setdefault("mock_tools", []).append(f"Item {index}: the name '{name}' is listed twice.")
            seen.add(name)
            out.append((row, ser.validated_data))
        return out

    def _variables(self, errors: dict) -> list | None:
        """The desired dynamic-variable set as validated {name, description}."""
        raw = self.data.get("dynamic_variables")
        if raw is None:
            return None
        if not isinstance(raw, list):
            errors["dynamic_variables"] = ["Expected a list of {name, description} objects."]
            return None
        out = []
        for index, item in enumerate(raw):
            ser = DynamicVariableSerializer(data=item if isinstance(item, dict) else {})
            if not ser.is_valid():
                for field, messages in ser.errors.items():
                    errors.setdefault("dynamic_variables", []).extend(f"Item {index}: {field}: {m}" for m in messages)
                continue
            out.append(ser.validated_data)
        return out

    def _files(self, errors: dict) -> tuple[list[int], list] | None:
        """Ids to keep and checked new files of the desired knowledge-base set."""
        raw = self.data.get("knowledge_base_files")
        if raw is None:
            return None
        if not isinstance(raw, list):
            errors["knowledge_base_files"] = ["Expected a list of {id} or {file_name, content_base64} objects."]
            return None
        own = set(self.instance.knowledge_base_files.values_list("pk", flat=True)) if self.instance else set()
        keep, incoming = [], []
        try:
            for index, item in enumerate(raw):
                if isinstance(item, dict) and "id" in item and "content_base64" not in item:
                    if item["id"] not in own:
                        raise ValidationError({"files": [f"Item {index}: no file with id {item['id']} on this agent."]})
                    keep.append(item["id"])
                else:
                    incoming.append(_from_base64(index, item))
            return keep, check_files(incoming) if incoming else []
        except ValidationError as exc:
            detail = exc.detail.get("files", exc.detail) if isinstance(exc.detail, dict) else exc.detail
            errors["knowledge_base_files"] = [str(m) for m in detail]
            return None

    def _connection(self, current: dict) -> dict:
        """Agent.connection updated with the stored-only fields of the body (blocks merge key by key)."""
        conn = {**current}
        for block, keys in (("telephony", TELEPHONY_STORED), ("provider", PROVIDER_STORED)):
            section = self.data.get(block)
            if isinstance(section, dict):
                merged = {**(conn.get(block) or {}), **{k: section[k] for k in keys if k in section}}
                if block == "provider" and "credentials" in section:
                    merged["credentials_configured"] = bool(section["credentials"])
                conn[block] = merged
        conn.update({k: self.data[k] for k in TOP_STORED if k in self.data})
        if "webhook_secret" in self.data:
            conn["webhook_secret_configured"] = bool(self.data["webhook_secret"])
        return conn


def _apply_tools(agent: Agent, tools: list) -> None:
    """Make the agent's tools exactly the listed set (omitted ones are deleted)."""
    kept = []
    for row, data in tools:
        if row is None:
            row = MockTool.objects.create(agent=agent, **data)
        else:
            for field, value in data.items():
                setattr(row, field, value)
            row.save()
        kept.append(row.pk)
    agent.tools.exclude(pk__in=kept).delete()


def _apply_variables(agent: Agent, variables: list) -> None:
    """Make the agent's variables the listed set; `{{placeholders}}` of the prompt stay (they are detected)."""
    names = [v["name"] for v in variables]
    for v in variables:
        DynamicVariable.objects.update_or_create(
            agent=agent, name=v["name"], defaults={"description": v.get("description", ""), "auto_detected": False}
        )
    agent.dynamic_variables.exclude(name__in=names + agent.placeholder_names()).delete()


def duplicate(agent: Agent, name: str | None = None) -> Agent:
    """A copy of an agent in its own project, with its tools, variables and knowledge-base files."""
    with transaction.atomic():
        copy = Agent.objects.get(pk=agent.pk)
        copy.pk = None
        copy.agent_name = (name or f"{agent.agent_name} (copy)")[:255]
        copy.save()
        for tool in agent.tools.all():
            MockTool.objects.create(agent=copy, name=tool.name, description=tool.description,
                                    parameters=tool.parameters, information=tool.information,
                                    freetext_params=tool.freetext_params)  # fmt: skip
        for var in agent.dynamic_variables.all():
            DynamicVariable.objects.update_or_create(
                agent=copy, name=var.name, defaults={"description": var.description, "auto_detected": var.auto_detected}
            )
        for f in KnowledgeBaseFile.objects.filter(agent=agent):
            KnowledgeBaseFile.objects.create(agent=copy, file_name=f.file_name, file_type=f.file_type,
                                             file_size=f.file_size, sha256=f.sha256, content=f.content,
                                             extracted_text=f.extracted_text, text_chars=f.text_chars)  # fmt: skip
    return copy
