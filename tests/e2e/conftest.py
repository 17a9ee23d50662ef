"""The simulated `demo` org, generated once per session and served on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import SIM_TOKEN as TOKEN
from simulator import SimServer, generate, write_pipeline_config


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory) -> Path:
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("sim") / "demo")


@pytest.fixture(scope="session")
def window_end(sim_dir) -> str:
    return json.loads((sim_dir / "org.json").read_text())["window"]["end"]


@pytest.fixture
def sim_server(sim_dir):
    with SimServer(sim_dir, token=TOKEN) as server:
        yield server


@pytest.fixture
def pipeline_config(sim_dir, sim_server, tmp_path, monkeypatch) -> Path:
    """A config pointing at this test's simulator, with all state in this test's temp folder."""
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SIM_GITHUB_TOKEN", TOKEN)
    path = write_pipeline_config(sim_dir, github_base_url=sim_server.base_url, token_env="SIM_GITHUB_TOKEN")
    copy = tmp_path / "config.yml"
    copy.write_text(path.read_text())
    return copy
