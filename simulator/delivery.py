"""How a team's delivery system behaves: review speed, merge delay, deploy cadence.

This is where the story lives: AI adoption speeds up coding everywhere, but lead time only improves
where reviews are fast and deploys frequent. A slow team's review queue grows with the extra PRs.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DeliverySystem:
    review_wait_hours: float  # mean wait for the first review
    review_load_factor: float  # review wait multiplier once the team opens AI-boosted volume
    merge_delay_hours: float  # mean wait from approval to merge
    deploy_weekdays: tuple[int, ...]  # 0 = Monday
    deploy_times_utc: tuple[tuple[int, int], ...]  # (hour, minute) of each production deploy


SYSTEMS = {
    "good": DeliverySystem(2.0, 1.0, 0.5, (0, 1, 2, 3, 4), ((9, 30), (12, 30), (15, 30), (18, 30))),
    "medium": DeliverySystem(8.0, 1.2, 2.0, (0, 1, 2, 3, 4), ((14, 0),)),
    "slow": DeliverySystem(30.0, 1.8, 6.0, (1, 3), ((15, 0),)),
}

# Coding: mean hours between a PR's commits, before and after the author adopts AI tools.
COMMIT_GAP_HOURS = 6.0
COMMIT_GAP_HOURS_ASSISTED = 1.0
AI_PR_RATE_MULTIPLIER = 1.5
ASSISTED_TRAILER_SHARE = 0.45
COPILOT_TRAILER = "Co-authored-by: GitHub Copilot <copilot@github.com>"
