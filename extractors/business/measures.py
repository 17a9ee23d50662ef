"""The measures a business file may hold: what each means, its unit and the values it accepts.

Money measures are in the source's one currency (the warehouse converts no currencies); survey scores
carry their number of responses, which is their sample size and the weight of any average over teams.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    name: str
    description: str
    is_money: bool = False
    is_survey: bool = False  # a score: needs `responses`, averages weighted by them
    minimum: float | None = None
    maximum: float | None = None

    def bounds_text(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"a number from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"a number >= {self.minimum:g}"
        return "a number"


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("ai_tool_spend", "AI coding tool seats and usage", is_money=True, minimum=0),
        Measure(
            "infrastructure_spend", "delivery infrastructure: CI/CD, test, deploy, observability", is_money=True,
            minimum=0,
        ),
        Measure("revenue", "revenue booked in the month", is_money=True),
        Measure("headcount", "engineers (full-time equivalents) in the month", minimum=0),
        Measure("csat", "customer satisfaction: percent of survey responses satisfied", is_survey=True, minimum=0,
                maximum=100),
        Measure("nps", "net promoter score", is_survey=True, minimum=-100, maximum=100),
    )
}  # fmt: skip
MEASURE_NAMES = tuple(MEASURES)
