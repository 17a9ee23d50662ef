"""What an adopted author's pull requests show of AI help (METRICS.md "AI assistance"), at known rates.

Per PR of an author who has adopted AI tools that week (`repo_sim.adopted`):
- AGENT_PR_SHARE of them are opened by a coding agent (the author assigned to it, the agent's branch
  prefix, the agent authoring every commit with the author as `Co-authored-by`);
- the others get, independently, an assistant's branch prefix, the `ai-assisted` label and an
  assistant's footer in the body at the shares below (their commits carry Copilot trailers as before).
Nobody else's PRs carry a signal; every PR may carry a non-AI label and its author as assignee.

Draws come from their own stream (`ai:` + seed + repository), the same number for every PR, so every
other draw (times, reviews, deploys, work items) stays where it was.
"""

import random
from dataclasses import dataclass

from simulator.org import Org, Person

AGENT_PR_SHARE = 0.12
AGENT_WEIGHTS = (3, 1)  # copilot, devin
BRANCH_PREFIX_SHARE = 0.10
LABEL_SHARE = 0.20
BODY_MARKER_SHARE = 0.15
SELF_ASSIGNED_SHARE = 0.30  # human PRs: the author assigns themselves (never an AI signal)
OTHER_LABEL_SHARE = 0.25

AI_LABEL = "ai-assisted"
OTHER_LABELS = ("enhancement", "bug", "dependencies", "tech-debt")
ASSISTANT_BRANCH_PREFIXES = ("claude/", "codex/", "cursor/")
BODY_MARKERS = (
    "🤖 Generated with [Claude Code](https://claude.com/claude-code)",
    "Co-Authored-By: Claude <noreply@anthropic.com>",
)


def _bot(login: str, uid: int) -> Person:
    """A GitHub App's bot account: not a member of any team, so never credited with activity."""
    return Person(uid, login, login, f"{uid}+{login}@users.noreply.github.com", login, "", 0)


# (bot account, branch prefix it names its branches with)
AGENTS = (
    (_bot("copilot-swe-agent[bot]", 198_982_749), "copilot/"),
    (_bot("devin-ai-integration[bot]", 158_243_242), "devin/"),
)
BOTS = tuple(bot for bot, _ in AGENTS)


@dataclass(frozen=True)
class AiMarks:
    agent: Person | None  # the coding agent that opened the PR (author: the human who assigned it)
    branch_prefix: str
    labels: tuple[str, ...]
    body_marker: str  # appended to the body ("" for none)
    self_assigned: bool
    signals: tuple[str, ...]  # the signals the PR itself shows (commit trailers are counted apart)


class AiSignalSim:
    def __init__(self, org: Org, repo_name: str):
        self.rng = random.Random(f"ai:{org.seed}:{repo_name}")

    def marks(self, author: Person, adopted: bool) -> AiMarks:
        agent_roll, pick, branch_roll, label_roll, body_roll, assign_roll, other_roll = (
            self.rng.random() for _ in range(7)
        )  # always seven draws: a later PR's marks never depend on an earlier PR's
        labels = (OTHER_LABELS[int(pick * len(OTHER_LABELS))],) if other_roll < OTHER_LABEL_SHARE else ()
        if adopted and agent_roll < AGENT_PR_SHARE:
            bot, prefix = AGENTS[0] if pick * sum(AGENT_WEIGHTS) < AGENT_WEIGHTS[0] else AGENTS[1]
            return AiMarks(bot, prefix, labels, "", True, ("agent_author", "branch_prefix"))
        signals, prefix, marker = [], f"{author.login}/", ""
        if adopted and branch_roll < BRANCH_PREFIX_SHARE:
            prefix = ASSISTANT_BRANCH_PREFIXES[int(pick * len(ASSISTANT_BRANCH_PREFIXES))]
            signals.append("branch_prefix")
        if adopted and label_roll < LABEL_SHARE:
            labels = (*labels, AI_LABEL)
            signals.append("label")
        if adopted and body_roll < BODY_MARKER_SHARE:
            marker = BODY_MARKERS[int(pick * len(BODY_MARKERS))]
            signals.append("body_marker")
        return AiMarks(None, prefix, labels, marker, assign_roll < SELF_ASSIGNED_SHARE, tuple(signals))
