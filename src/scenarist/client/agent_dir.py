"""Reading an agent directory: the file layout `agents create --from-dir` and `generate --offline` share.

    DIR/agent.yaml | agent.yml | agent.json   agent fields (agent_name, description, language, inbound, …); optional
    DIR/prompt.md | prompt.txt                the system prompt (= `description`) when agent.* has none
    DIR/tools.json | tools.yaml | tools.yml   list of {name, description, parameters, information: [{input, output}]}
    DIR/variables.json | .yaml | .yml         optional: list of {name, description} (or a {name: description} map)
    DIR/kb/                                   knowledge-base files (.md .txt .csv .json .pdf .xml .html)

`agent_name` defaults to the directory's name. No Django, no network: plain files in, plain data out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ScenaristError

AGENT_FILES = ("agent.yaml", "agent.yml", "agent.json")
PROMPT_FILES = ("prompt.md", "prompt.txt")
TOOLS_FILES = ("tools.json", "tools.yaml", "tools.yml")
VARIABLES_FILES = ("variables.json", "variables.yaml", "variables.yml")
KB_DIR = "kb"
TOOL_KEYS = ("name", "description", "parameters", "information", "freetext_params")


class AgentDirError(ScenaristError):
    """The agent directory is missing a file or holds a malformed one; the message names the file."""


@dataclass
class AgentDirectory:
    """The content of an agent directory, ready to send to the API or to build an AgentSpec from."""

    path: Path
    fields: dict[str, Any]
    tools: list[dict[str, Any]] = field(default_factory=list)
    variables: list[dict[str, Any]] = field(default_factory=list)
    kb_files: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The agent's name."""
        return self.fields["agent_name"]

    @property
    def description(self) -> str:
        """The agent's system prompt."""
        return self.fields["description"]

    def agent_fields(self) -> dict[str, Any]:
        """The body of the agent-create request."""
        return dict(self.fields)


def load_agent_dir(directory: str | Path) -> AgentDirectory:
    """Read and check an agent directory; AgentDirError with the file's name when something is wrong."""
    root = Path(directory)
    if not root.is_dir():
        raise AgentDirError(f"agent directory {root} does not exist or is not a directory")
    fields = _agent_fields(root)
    return AgentDirectory(
        path=root, fields=fields, tools=_tools(root), variables=_variables(root), kb_files=_kb_files(root),
    )


def _first(root: Path, names: tuple[str, ...]) -> Path | None:
    found = [root / name for name in names if (root / name).is_file()]
    if len(found) > 1:
        raise AgentDirError(f"{root}: use only one of {', '.join(p.name for p in found)}")
    return found[0] if found else None


def _read_data(path: Path) -> Any:
    """A JSON or YAML file's content (by extension)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AgentDirError(f"{path}: cannot read it ({exc})") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise AgentDirError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'} "
                            f"({str(exc).splitlines()[0]})") from None


def _agent_fields(root: Path) -> dict[str, Any]:
    agent_file = _first(root, AGENT_FILES)
    fields: dict[str, Any] = {}
    if agent_file is not None:
        data = _read_data(agent_file)
        if data is not None and not isinstance(data, dict):
            raise AgentDirError(f"{agent_file}: expected a mapping of agent fields (agent_name, language, …)")
        fields = dict(data or {})
    prompt_file = _first(root, PROMPT_FILES)
    if prompt_file is not None:
        if fields.get("description"):
            raise AgentDirError(f"{root}: the system prompt is given twice ({agent_file.name} has a description "
                                f"and {prompt_file.name} exists); keep one")
        try:
            fields["description"] = prompt_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise AgentDirError(f"{prompt_file}: cannot read it as UTF-8 text ({exc})") from None
    if not str(fields.get("description") or "").strip():
        raise AgentDirError(f"{root}: no system prompt — add prompt.md (or prompt.txt), or a `description` "
                            f"in agent.yaml")
    fields.setdefault("agent_name", root.resolve().name)
    if not str(fields["agent_name"]).strip():
        raise AgentDirError(f"{root}: agent_name must not be blank")
    return fields


def _tools(root: Path) -> list[dict[str, Any]]:
    path = _first(root, TOOLS_FILES)
    if path is None:
        return []
    data = _read_data(path) or []
    if isinstance(data, dict) and isinstance(data.get("tools"), list):
        data = data["tools"]
    if not isinstance(data, list):
        raise AgentDirError(f"{path}: expected a list of tools")
    tools = []
    for number, tool in enumerate(data, start=1):
        if not isinstance(tool, dict) or not str(tool.get("name") or "").strip():
            raise AgentDirError(f"{path}: tool {number} must be an object with a `name`")
        unknown = sorted(set(tool) - set(TOOL_KEYS))
        if unknown:
            raise AgentDirError(f"{path}: tool {tool['name']!r} has unknown key(s) {', '.join(unknown)} "
                                f"(allowed: {', '.join(TOOL_KEYS)})")
        rows = tool.get("information") or []
        if not isinstance(rows, list) or any(not isinstance(r, dict) or {"input", "output"} - set(r) for r in rows):
            raise AgentDirError(f"{path}: tool {tool['name']!r}: `information` must be a list of "
                                f"{{input, output}} rows")
        tools.append({key: tool[key] for key in TOOL_KEYS if key in tool})
    return tools


def _variables(root: Path) -> list[dict[str, Any]]:
    path = _first(root, VARIABLES_FILES)
    if path is None:
        return []
    data = _read_data(path) or []
    if isinstance(data, dict):
        data = [{"name": name, "description": description or ""} for name, description in data.items()]
    if not isinstance(data, list) or any(not isinstance(v, dict) or not v.get("name") for v in data):
        raise AgentDirError(f"{path}: expected a list of {{name, description}} objects")
    return [{"name": str(v["name"]), "description": str(v.get("description") or "")} for v in data]


def _kb_files(root: Path) -> list[Path]:
    kb = root / KB_DIR
    if not kb.is_dir():
        return []
    return sorted(p for p in kb.iterdir() if p.is_file() and not p.name.startswith("."))
