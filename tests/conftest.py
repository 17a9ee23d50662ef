"""Shared test settings: every test runs against state in its own temp folder, never the user's home."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
VENV_BIN = PROJECT_DIR / ".state" / "venv" / "bin"
VENDOR_FIXTURES = PROJECT_DIR.parent / "shared" / "fixtures" / "vendor"


@pytest.fixture(autouse=True)
def _no_real_tokens(monkeypatch):
    # Tests never see a developer's real tokens, whatever their shell exports.
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "JIRA_TOKEN", "JIRA_USER", "PAGERDUTY_TOKEN"):
        monkeypatch.delenv(name, raising=False)



@pytest.fixture
def sleeps(monkeypatch):
    """Record the retry policy's waits instead of sleeping them."""
    recorded: list[float] = []
    monkeypatch.setattr("extractors.core.retry.sleep", recorded.append)
    return recorded
