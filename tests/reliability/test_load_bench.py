"""bench/load.py end to end: the full profile (100 clients, 20 LLM jobs, both modes) behind the slow flag,
a small offline profile in the normal suite. Zero errors and every job finished is the pass mark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*flags: str, timeout: float) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SCENARIST_DATABASE_URL", "SCENARIST_QUEUE_URL")}
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), *flags], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def test_small_embedded_load_has_no_errors():
    text = _run("--mode", "embedded", "--engine", "offline", "--clients", "12", "--jobs", "3", "--n", "3",
                timeout=120)
    assert "errors: 0" in text and "unfinished: 0" in text and "scenarios: 9/9" in text, text


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get("SCENARIST_DATABASE_URL")),
                    reason="the bench makes its own databases; run it once, in the SQLite pass of `make test`")
def test_full_load_profile_in_every_available_mode_has_no_errors():
    text = _run("--mode", "both", timeout=900)
    assert text.count("errors: 0") == text.count("== ") >= 1, text
    assert "unfinished: 0" in text and "scenarios: 200/200" in text, text
