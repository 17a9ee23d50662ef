"""Deterministic simulated engineering org: generator, GitHub API server, ground truth."""

from simulator.config_writer import write_pipeline_config
from simulator.generate import generate
from simulator.github.server import SIM_TOKEN, SimServer

__all__ = ["SIM_TOKEN", "SimServer", "generate", "write_pipeline_config"]
