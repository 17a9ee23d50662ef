"""Deterministic simulated engineering org: generator, GitHub, Jira and PagerDuty API server, ground truth."""

from simulator.config_writer import sim_credentials, write_pipeline_config
from simulator.generate import generate
from simulator.github.server import SIM_TOKEN, SimServer

__all__ = ["SIM_TOKEN", "SimServer", "generate", "sim_credentials", "write_pipeline_config"]
