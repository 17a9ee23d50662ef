"""`make chaos` in small: kill dbt mid-build and a publish mid-copy, re-run once, everything equals an
uninterrupted run and nobody has to step in (the full 20 trials are `make chaos`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR


@pytest.mark.e2e
def test_killed_transform_and_publish_recover_with_one_rerun():
    result = subprocess.run(
        [sys.executable, "-m", "scripts.chaos", "--trials", "2", "--first-phase", "transform", "--seed", "3"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "trials 2 / identical 2 / manual actions needed 0" in result.stdout
