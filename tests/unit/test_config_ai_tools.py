"""The config's `ai_tools:` list: who had which AI tool from when to when, checked against the teams."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from extractors.core.config import ConfigError, load_config
from extractors.core.config_tables import config_rows

BASE = """
sources:
  - {name: local_git, kind: git, scopes: [{path: /srv/git/api, repository: acme/api}]}
teams:
  - key: payments
    repositories: [acme/api]
    members:
      - {key: ada, email: ada@acme.test, until: 2026-03-01}
      - {key: bob, email: bob@acme.test}
  - key: ledger
    members:
      - {key: ada, email: ada@acme.test, from: 2026-03-01}
ai_tools:
"""


def load(tmp_path: Path, entries: str):
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(BASE) + textwrap.indent(textwrap.dedent(entries), "  "))
    return load_config(path)


def test_member_and_team_entries_become_the_raw_config_table(tmp_path):
    config = load(
        tmp_path,
        """
        - {member: ada, tool: cursor, from: 2026-01-10, until: 2026-02-01}
        - {team: payments, tool: copilot, from: 2026-02-01}
        - {member: ada, tool: cursor, from: 2026-02-01}
    """,
    )
    assert config_rows(config)["config__ai_tools"] == [
        (0, "ada", None, "cursor", dt.date(2026, 1, 10), dt.date(2026, 2, 1)),
        (1, None, "payments", "copilot", dt.date(2026, 2, 1), None),
        (2, "ada", None, "cursor", dt.date(2026, 2, 1), None),  # adjacent, not overlapping: until is exclusive
    ]


def test_no_ai_tools_is_an_empty_table(tmp_path):
    assert config_rows(load(tmp_path, "[]"))["config__ai_tools"] == []


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            "- {member: eve, tool: copilot, from: 2026-01-01}",
            r"ai_tools\[0\]\.member: got 'eve', expected a member key listed under teams",
        ),
        (
            "- {team: growth, tool: copilot, from: 2026-01-01}",
            r"ai_tools\[0\]\.team: got 'growth', expected one of the team keys \(ledger, payments\)",
        ),
        (
            "- {member: ada, team: payments, tool: copilot, from: 2026-01-01}",
            r"ai_tools\[0\]: expected exactly one of member or team",
        ),
        ("- {tool: copilot, from: 2026-01-01}", r"ai_tools\[0\]: expected exactly one of member or team"),
        (
            "- {member: ada, tool: copilot, from: 2026-02-01, until: 2026-02-01}",
            r"ai_tools\[0\].*until: got 2026-02-01, expected a date after from \(2026-02-01\)",
        ),
        (
            "- {member: ada, tool: copilot, from: 2026-02-01, until: 2026-01-01}",
            r"ai_tools\[0\].*until: got 2026-01-01, expected a date after from \(2026-02-01\)",
        ),
        (
            "- {member: ada, tool: Copilot, from: 2026-02-01}",
            r"ai_tools\[0\]\.tool: got 'Copilot', expected a lowercase tool name",
        ),
        ("- {member: ada, tool: copilot}", r"ai_tools\[0\]\.from"),
        ("- {member: ada, tool: copilot, from: 2026-02-30}", r"ai_tools\[0\]\.from"),
        ("- {member: ada, tool: copilot, from: 2026-01-01, seats: 3}", r"ai_tools\[0\]: unknown key 'seats'"),
    ],
)
def test_bad_entries_are_errors_naming_the_entry(tmp_path, entries, message):
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, entries)


def test_overlapping_periods_of_one_member_and_tool_name_both_entries(tmp_path):
    with pytest.raises(ConfigError) as error:
        load(
            tmp_path,
            """
            - {member: bob, tool: copilot, from: 2026-01-01, until: 2026-03-01}
            - {member: bob, tool: cursor, from: 2026-01-01}
            - {member: bob, tool: copilot, from: 2026-02-15}
        """,
        )
    text = str(error.value)
    assert re.search(r"ai_tools\[2\] \(member 'bob'.*\) overlaps ai_tools\[0\] \(member 'bob'", text), text
    assert "tool 'copilot'" in text


def test_a_team_entry_overlapping_a_member_entry_is_an_error_naming_both(tmp_path):
    with pytest.raises(ConfigError, match=r"ai_tools\[1\] \(team 'payments': 'bob' from 2026-02-01 until open end\) "
                                          r"overlaps ai_tools\[0\] \(member 'bob'"):  # fmt: skip
        load(
            tmp_path,
            """
            - {member: bob, tool: copilot, from: 2026-01-01}
            - {team: payments, tool: copilot, from: 2026-02-01}
        """,
        )


def test_a_team_entry_covers_members_only_while_in_the_team(tmp_path):
    # ada leaves payments on 2026-03-01: a payments entry from then on does not overlap her own later entry.
    config = load(
        tmp_path,
        """
        - {team: payments, tool: copilot, from: 2026-01-01}
        - {member: ada, tool: copilot, from: 2026-03-01}
    """,
    )
    assert len(config.ai_tools) == 2
    with pytest.raises(ConfigError, match=r"ai_tools\[1\] \(member 'ada': 'ada' from 2026-02-01"):
        load(
            tmp_path,
            """
            - {team: payments, tool: copilot, from: 2026-01-01}
            - {member: ada, tool: copilot, from: 2026-02-01}
        """,
        )
