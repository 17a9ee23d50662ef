"""Access to ../shared/fixtures/vendor: read in place (never copied), skip cleanly when absent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import VENDOR_FIXTURES


def vendor_json(*parts: str) -> Any:
    path = VENDOR_FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"vendor fixtures not available ({path} is absent; they live in ../shared beside the project)")
    return json.loads(path.read_text(encoding="utf-8"))
