"""The AI-assistance rules under `metrics:` reach dbt as vars; a bad one is an error naming the key."""

from __future__ import annotations

import json

import pytest

from extractors.core.config import ConfigError, load_config
from extractors.pipeline import dbt_build_command
from tests.unit.test_config import VALID, write

AI_METRICS = """
metrics:
  ai_coauthor_pattern: "copilot|our-bot"
  ai_agent_logins: [our-agent]
  ai_branch_prefixes: []
  ai_labels: [robot, AI]
  ai_body_markers: ["Made by a machine"]
"""


def test_ai_rules_reach_dbt_as_vars_and_an_empty_list_is_kept(tmp_path):
    config = load_config(write(tmp_path, VALID + AI_METRICS))
    command = dbt_build_command(config)
    assert json.loads(command[command.index("--vars") + 1]) == {
        "ai_coauthor_pattern": "copilot|our-bot",
        "ai_agent_logins": ["our-agent"],
        "ai_branch_prefixes": [],  # switches the branch signal off, not "use the defaults"
        "ai_labels": ["robot", "AI"],
        "ai_body_markers": ["Made by a machine"],
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"copilot|our-bot"', '"copilot|(unclosed"', r"metrics\.ai_coauthor_pattern: got 'copilot\|\(unclosed', "
         r"expected a regular expression"),
        ("[our-agent]", "our-agent", r"metrics\.ai_agent_logins: got str 'our-agent', expected a .*list"),
        ("[robot, AI]", '[robot, ""]', r"metrics\.ai_labels\[1\]"),
        ('["Made by a machine"]', "[{text: x}]", r"metrics\.ai_body_markers\[0\]"),
        ("ai_labels:", "ai_label:", r"metrics: unknown key 'ai_label'"),
    ],
)  # fmt: skip
def test_bad_ai_rules_name_the_key(tmp_path, old, new, message):
    assert old in AI_METRICS
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, VALID + AI_METRICS.replace(old, new, 1)))
