"""The finance and customer-success CSV files of the generated org (the `business` source's input).

The story the numbers tell (METRICS.md "Investment", simulator/README.md):
- AI tool spend starts at a team's adoption week: seats (39.00 per engineer-month, prorated by the days
  adopted) plus usage that grows by 15.00 per engineer with every month after the adoption month; a team
  that never adopts reports 0.00. An org-wide chat licence (300.00) is booked unallocated (team `*`) from
  the first month any team has adopted.
- Delivery infrastructure spend (CI/CD, test, deploy, observability) depends on the team's delivery
  system: good 4200.00, medium 2600.00, slow 1400.00 a month, growing 2% a month. So the slow team that
  adopts AI drops below the 2:1 infrastructure-to-AI target as its usage grows.
- Revenue follows delivery: 40000.00 + 2500.00 per customer request delivered + 150.00 per production
  deployment in the month, per team; plus 120000.00 a month unallocated.
- CSAT follows delivery: 88 - 50 x the month's change failure rate + 1.0 per customer request delivered,
  clamped to 0..100, with 40 + 5 per delivered request responses; NPS is surveyed org-wide only (team
  `*`): 2 x the response-weighted CSAT - 110, with twice the CSAT responses.
- Headcount: the team's engineers, plus 2 platform engineers unallocated.
Months are the calendar months whose books are closed by the observation cutoff (the month ended); the
partial last month has no rows. The team with the latest adoption skips its CSAT survey in the third
month, a gap the mart must show as missing, not zero.
"""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

from simulator.org import Org
from simulator.timeutil import DAY, WEEK, epoch

CURRENCY = "EUR"
SEAT, USAGE, ORG_LICENCE = 39.0, 15.0, 300.0
INFRASTRUCTURE = {"good": 4200.0, "medium": 2600.0, "slow": 1400.0}
INFRASTRUCTURE_GROWTH = 0.02
REVENUE_BASE, REVENUE_PER_REQUEST, REVENUE_PER_DEPLOYMENT, ORG_REVENUE = 40000.0, 2500.0, 150.0, 120000.0
PLATFORM_ENGINEERS = 2
FINANCE_MEASURES = ("ai_tool_spend", "infrastructure_spend", "revenue", "headcount")
CUSTOMER_MEASURES = ("csat", "nps")
HEADER = ("month", "team", "measure", "value", "currency", "responses")
# (month, team, measure, value text, currency, responses): exactly what the files say
Row = tuple[str, str, str, str, str, str]


def closed_months(start: int, cut: int) -> list[str]:
    """'YYYY-MM' of every month from the start's month whose last day ends by the cutoff."""
    first = datetime.fromtimestamp(start, UTC).date().replace(day=1)
    out, m = [], first
    while epoch(_next(m)) <= cut:
        out.append(m.strftime("%Y-%m"))
        m = _next(m)
    return out


def _next(m: date) -> date:
    return date(m.year + m.month // 12, m.month % 12 + 1, 1)


def _adopted_days(month: str, adopted_at: int | None) -> tuple[int, int, int]:
    """(days adopted in the month, days in the month, months since the adoption month; -1 before it)."""
    first = date.fromisoformat(month + "-01")
    start, end = epoch(first), epoch(_next(first))
    days = (end - start) // DAY
    if adopted_at is None or adopted_at >= end:
        return 0, days, -1
    adopted = datetime.fromtimestamp(adopted_at, UTC).date()
    since = (first.year - adopted.year) * 12 + first.month - adopted.month
    return (end - max(start, adopted_at) + DAY - 1) // DAY, days, since


def rows(org: Org, delivery: dict[tuple[str, str], dict], start: int, cut: int) -> list[Row]:
    months = closed_months(start, cut)
    adoption = {t.key: None if t.adoption_week is None else start + t.adoption_week * WEEK for t in org.teams}
    first_adoption = min((a for a in adoption.values() if a is not None), default=None)
    late = max((t for t in org.teams if t.adoption_week is not None), key=lambda t: t.adoption_week, default=None)
    out: list[Row] = []
    for i, month in enumerate(months):
        weighted, responses = 0.0, 0
        for team in org.teams:
            cell = delivery.get((team.key, month), {})
            engineers = len(team.members)
            adopted, days, since = _adopted_days(month, adoption[team.key])
            ai = SEAT * engineers * adopted / days + USAGE * engineers * max(since, 0)
            infra = INFRASTRUCTURE[team.delivery] * (1 + INFRASTRUCTURE_GROWTH * i)
            requests, deployments = cell.get("customer_requests_delivered", 0), cell.get("deployments", 0)
            revenue = REVENUE_BASE + REVENUE_PER_REQUEST * requests + REVENUE_PER_DEPLOYMENT * deployments
            out += [
                _money(month, team.key, "ai_tool_spend", ai),
                _money(month, team.key, "infrastructure_spend", infra),
                _money(month, team.key, "revenue", revenue),
                (month, team.key, "headcount", str(engineers), "", ""),
            ]
            if late is not None and team.key == late.key and i == 2:
                continue  # the survey was not run this month
            failed = cell.get("failed_deployments", 0)
            csat = min(100.0, max(0.0, 88 - 50 * (failed / deployments if deployments else 0) + 1.0 * requests))
            surveyed = 40 + 5 * requests
            out.append((month, team.key, "csat", f"{csat:.1f}", "", str(surveyed)))
            weighted, responses = weighted + round(csat, 1) * surveyed, responses + surveyed
        if first_adoption is not None and _adopted_days(month, first_adoption)[0] > 0:
            out.append(_money(month, "*", "ai_tool_spend", ORG_LICENCE))
        out += [_money(month, "*", "revenue", ORG_REVENUE), (month, "*", "headcount", str(PLATFORM_ENGINEERS), "", "")]
        if responses:
            nps = round(2 * (weighted / responses) - 110)
            out.append((month, "*", "nps", str(nps), "", str(responses * 2)))
    return out


def _money(month: str, team: str, measure: str, value: float) -> Row:
    return (month, team, measure, f"{value:.2f}", CURRENCY, "")


def write(out_dir: Path, table: list[Row]) -> dict[str, list[Path]]:
    """business/finance/{spend,revenue,headcount}.csv and business/customer/satisfaction.csv: scope -> files."""
    files = {
        "finance": {"spend.csv": ("ai_tool_spend", "infrastructure_spend"), "revenue.csv": ("revenue",),
                    "headcount.csv": ("headcount",)},
        "customer": {"satisfaction.csv": CUSTOMER_MEASURES},
    }  # fmt: skip
    written: dict[str, list[Path]] = {}
    for scope, by_file in files.items():
        folder = out_dir / "business" / scope
        folder.mkdir(parents=True, exist_ok=True)
        for name, measures in by_file.items():
            path = folder / name
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(HEADER)
                writer.writerows(r for r in table if r[2] in measures)
            written.setdefault(scope, []).append(path)
    return written
