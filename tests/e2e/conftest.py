"""The simulated `demo` org, generated once per session and served on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator import SIM_TOKEN as TOKEN
from simulator import SimServer, generate, sim_credentials, write_pipeline_config
from tests.browser import browser  # noqa: F401 - the headless Chromium fixture for the browser tests


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
    return sim_config(sim_dir, sim_server, tmp_path / "config.yml", monkeypatch)


def sim_config(sim_dir: Path, server: SimServer, dest: Path, monkeypatch) -> Path:
    """Write the simulator's pipeline config (every API on `server`) to `dest`; set the credentials it names."""
    for name, value in sim_credentials().items():
        monkeypatch.setenv(name, value)
    dest.write_text(write_pipeline_config(sim_dir, base_url=server.base_url).read_text())
    return dest


@dataclass(frozen=True)
class DemoRun:
    config: Path  # the pipeline config the run used
    published: Path  # its published BI snapshot


@pytest.fixture(scope="session")
def demo_run(sim_dir, window_end, tmp_path_factory) -> DemoRun:
    """One plain `delivery run` of the demo org, shared by every test that only reads its published marts.

    Its state and credentials go to the subprocess only, so no other test sees them."""
    tmp = tmp_path_factory.mktemp("demo-run")
    env = {**os.environ, **sim_credentials(), "DELIVERY_STATE_DIR": str(tmp / "data")}
    delivery = str(Path(sys.executable).with_name("delivery"))
    config = tmp / "config.yml"
    with SimServer(sim_dir, token=TOKEN) as server:
        config.write_text(write_pipeline_config(sim_dir, base_url=server.base_url).read_text())
        result = subprocess.run(
            [delivery, "run", "--config", str(config), "--until", window_end],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    assert result.returncode == 0, f"delivery run failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return DemoRun(config=config, published=tmp / "data" / "published" / "warehouse.duckdb")


@pytest.fixture(scope="session")
def demo_published(demo_run) -> Path:
    return demo_run.published
