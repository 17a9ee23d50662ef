"""Ground truth of rpt_investment_monthly (METRICS.md "Investment"): the business files the simulator wrote,
rolled up by the mart's rules, beside the month's delivery outcomes (truth_delivery_monthly).

Written to ground_truth_investment.json: {"target": ..., "rows": [one per team and month, and per month
for the org (team_key "*")]}.
"""

import json
import sqlite3
from datetime import date
from pathlib import Path

from simulator.business import Row
from simulator.quantile import quantile_cont

ORG = "*"
ADDITIVE = ("ai_tool_spend", "infrastructure_spend", "revenue", "headcount")
SURVEYS = ("csat", "nps")
RATIO_TARGET = 2.0  # infrastructure_to_ai_spend_target default


def _months(first: str, last: str) -> list[str]:
    out, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _measure(name: str, rows: list[Row], teams_reporting: int, teams: int, is_org: bool) -> tuple:
    """(value, sample size, reason): a sum, or a response-weighted mean for surveys."""
    if not rows:
        return None, 0, "not reported"
    if is_org and 0 < teams_reporting < teams:
        return None, 0, f"reported for {teams_reporting} of {teams} teams"
    if name in SURVEYS:
        responses = sum(int(r[5]) for r in rows)
        return sum(float(r[3]) * int(r[5]) for r in rows) / responses, responses, None
    return sum(float(r[3]) for r in rows), len(rows), None


def _ratio(numerator, denominator):
    return None if numerator is None or not denominator else numerator / denominator


def _row(month: str, team: str, business: list[Row], cells: list[dict], teams: int, target: float) -> dict:
    is_org = team == ORG
    out: dict = {"team_key": team, "month_start": f"{month}-01", "is_org_rollup": is_org}
    reasons = []
    for name in (*ADDITIVE, *SURVEYS):
        rows = [r for r in business if r[2] == name and (is_org or r[1] == team)]
        reporting = sum(1 for r in rows if r[1] != ORG)
        value, sample, reason = _measure(name, rows, reporting, teams, is_org)
        out[name] = value
        out[f"{name}_responses" if name in SURVEYS else f"{name}_rows"] = sample
        if reason:
            reasons.append(f"{name}: {reason}")
    ai, infra = out["ai_tool_spend"], out["infrastructure_spend"]
    out["delivery_spend"] = None if ai is None or infra is None else ai + infra
    out["infrastructure_to_ai_spend_ratio"] = _ratio(infra, ai)
    ratio = out["infrastructure_to_ai_spend_ratio"]
    out["is_below_infrastructure_ratio_target"] = None if ratio is None else ratio < target
    out["revenue_per_engineer"] = _ratio(out["revenue"], out["headcount"])
    lead_times = [h for c in cells for h in c["lead_times"]]
    for name in ("deployments", "deployment_attempts", "failed_deployments", "customer_requests_delivered"):
        out[name] = sum(c[name] for c in cells)
    out["changes_deployed"] = len(lead_times)
    out["lead_time_p50_hours"] = quantile_cont(lead_times, 0.5)
    out["change_failure_rate"] = _ratio(out["failed_deployments"], out["deployments"])
    out["spend_per_deployment"] = _ratio(out["delivery_spend"], out["deployments"])
    out["spend_per_delivered_request"] = _ratio(out["delivery_spend"], out["customer_requests_delivered"])
    if infra is not None and ai == 0:
        reasons.append("infrastructure_to_ai_spend_ratio: no AI tool spend")
    if out["revenue"] is not None and out["headcount"] == 0:
        reasons.append("revenue_per_engineer: headcount is 0")
    if not lead_times:
        reasons.append("lead_time_p50_hours: no changes deployed")
    if not out["deployments"]:
        reasons.append("change_failure_rate: no production deployments")
    if out["delivery_spend"] is not None and not out["deployments"]:
        reasons.append("spend_per_deployment: no production deployments")
    if out["delivery_spend"] is not None and not out["customer_requests_delivered"]:
        reasons.append("spend_per_delivered_request: no customer requests delivered")
    out["missing_reason"] = "; ".join(reasons) or None
    return out


def compute(conn: sqlite3.Connection, business: list[Row], delivery: dict[tuple[str, str], dict],
            target: float = RATIO_TARGET) -> dict:  # fmt: skip
    """business: the rows the files hold; delivery: truth_delivery_monthly.monthly(conn)."""
    teams = [key for (key,) in conn.execute("SELECT key FROM teams ORDER BY key")]
    active = {m for (_, m), c in delivery.items() if c["deployment_attempts"]} | {r[0] for r in business}
    out = []
    for month in _months(min(active), max(active)) if active else []:
        in_month = [r for r in business if r[0] == month]
        for team in teams:
            cells = [delivery[(team, month)]] if (team, month) in delivery else []
            out.append(_row(month, team, in_month, cells, len(teams), target))
        cells = [c for (t, m), c in delivery.items() if m == month and t in teams]
        out.append(_row(month, ORG, in_month, cells, len(teams), target))
    return {"infrastructure_to_ai_spend_target": target, "rows": out}


def write(conn: sqlite3.Connection, path: Path, business: list[Row], delivery: dict[tuple[str, str], dict]) -> dict:
    truth = compute(conn, business, delivery)
    path.write_text(json.dumps(truth, indent=1, default=date.isoformat) + "\n")
    return truth
