"""Server-side commands on a missing/unmigrated database or a busy port: one clear line on stderr, exit code 2."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys

import pytest


def _run(args: list[str], cwd, **env: str) -> subprocess.CompletedProcess:
    """`scenarist …` in `cwd` with a clean database environment."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("SCENARIST_DATABASE_URL", "SCENARIST_SQLITE_PATH", "SCENARIST_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([sys.executable, "-m", "scenarist.cli", *args], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["project", "create", "X"], ["key", "create", "1"], ["worker"], ["web", "--port", "1"]])
def test_missing_database_is_one_clear_line(tmp_path, args):
    result = _run(args, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no database at ") and "scenarist migrate" in lines[0]
    assert "Traceback" not in result.stderr and not (tmp_path / "data" / "scenarist.sqlite3").exists()


def test_unmigrated_database_is_one_clear_line(tmp_path):
    (tmp_path / "data").mkdir()
    sqlite3.connect(tmp_path / "data" / "scenarist.sqlite3").close()  # an empty file: no tables
    result = _run(["project", "create", "X"], tmp_path)
    assert result.returncode == 2 and "is not migrated" in result.stderr and "Traceback" not in result.stderr


def test_busy_port_is_refused_before_any_key_is_issued(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run(["serve", "--demo", "--port", str(port)], tmp_path)
    assert result.returncode == 2 and f"127.0.0.1:{port} is already in use" in result.stderr
    assert "sk_scn_" not in result.stdout and not (tmp_path / "data" / "scenarist.sqlite3").exists()
