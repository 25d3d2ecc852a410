"""Fixtures of the official-client tests: the UNCHANGED Cekura SDK (`cekura` 1.6.7, test-only dependency)
in-process and its CLI as a subprocess, against ONE live `scenarist serve` (offline engine) per package."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from cekura import Cekura

from scenarist.accounts.services import create_project
from tests.client.conftest import clean_env, scenarist_server  # noqa: F401  (the live server fixture)

CEKURA_BIN = Path(sys.executable).parent / "cekura"
AGENT_PROMPT = (
    "You are the front desk of {{clinic_name}}, a dental clinic. Verify the caller with lookup_patient "
    "(phone and date of birth) before booking with book_appointment. Offer the next free slot. "
    "Never give medical advice; for pain, offer the earliest emergency slot."
)
TOOLS = [
    {"name": "lookup_patient", "description": "Find a patient by phone",
     "mock_data": [{"input": {"phone": "+447700900123"},
                    "output": {"patient_id": "P-1", "full_name": "Ann Lee", "date_of_birth": "1980-02-01"}}]},
    {"name": "book_appointment", "description": "Book a slot",
     "mock_data": [{"input": {"patient_id": "P-1"}, "output": {"status": "booked", "slot": "Mon 9:00"}}]},
]  # fmt: skip


@dataclass
class Tenant:
    """A committed project, its raw key and an official SDK client for it."""

    project_id: int
    key: str
    sdk: Cekura


@pytest.fixture
def tenant(scenarist_server, transactional_db):  # noqa: F811
    """A fresh committed project (visible to the server) with `Cekura(api_key=…, base_url=…)`."""
    project, key = create_project("Cekura SDK tests")
    with Cekura(api_key=key, base_url=scenarist_server.url, timeout=30) as sdk:
        yield Tenant(project.pk, key, sdk)


def v2_agent_body(project_id: int, **extra) -> dict:
    """A full v2 agent body: nested telephony/provider, tools with mock_data, variables."""
    return {
        "name": "Bright Smile front desk", "description": AGENT_PROMPT, "project": project_id, "language": "en",
        "agent_speaks_first": True,
        "telephony": {"phone_number": "+14155550100", "inbound": True, "sip_uri": "sip:desk@example.test",
                      "outbound_numbers": ["+14155550111"]},
        "provider": {"type": "vapi", "agent_id": "asst_0123456789", "credentials": {"api_key": "vapi-key-SENSITIVE-42"},
                     "auto_sync_prompt": False, "redact_fields": ["ssn"]},
        "mock_tools": TOOLS, "mock_tools_enabled": True,
        "dynamic_variables": [{"name": "clinic_name", "description": "The clinic's name"},
                              {"name": "caller_phone", "description": "E.164 number of the caller"}],
        "webhook_url": "https://hooks.example.test/x", "email_id": "desk@example.test",
        **extra,
    }  # fmt: skip


def wait_job(poll, *, done=lambda body: body.get("status") in ("completed", "failed"), timeout: float = 60.0) -> dict:
    """Poll an SDK progress method until the job is finished; the last body."""
    deadline = time.monotonic() + timeout
    while True:
        body = poll()
        if done(body):
            return body
        assert time.monotonic() < deadline, f"job not finished in {timeout}s: {body}"
        time.sleep(0.2)


@dataclass
class CliResult:
    """What a `cekura` subprocess did."""

    code: int
    stdout: str
    stderr: str

    def json(self):
        """Stdout parsed as JSON (`--format json` commands)."""
        text = self.stdout
        return json.loads(text[min(i for i in (text.find("{"), text.find("[")) if i >= 0):])


@pytest.fixture
def cekura_cli(scenarist_server, tenant, tmp_path):  # noqa: F811
    """`cekura_cli("agents", "list")` runs the official CLI with CEKURA_API_URL/CEKURA_API_KEY set."""

    def run(*args: str, timeout: float = 60) -> CliResult:
        env = clean_env(CEKURA_API_URL=scenarist_server.url, CEKURA_API_KEY=tenant.key, HOME=str(tmp_path),
                        NO_COLOR="1", COLUMNS="200")  # fmt: skip
        done = subprocess.run([str(CEKURA_BIN), *args], env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=tmp_path)  # fmt: skip
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run
