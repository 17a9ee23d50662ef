"""The answer in words: one paragraph per team, busier or faster since adopting AI tools.

Every number comes from the published marts (rpt_ai_impact, team_ai_adoption, rpt_investment_monthly);
this module only words them. The rules behind each word are in METRICS.md "AI impact".
"""

from __future__ import annotations

from pathlib import Path

from extractors.core.warehouse import connect

# the metrics a paragraph names, in this order, with the words for them
_NAMED = (
    ("prs_merged_per_engineer_week", "PRs merged per engineer-week"),
    ("lead_time_p50_hours", "lead time p50"),
    ("deployments_per_week", "deployments per week"),
    ("request_to_production_p50_hours", "request to production p50"),
)
ADOPTION_METHOD_WORDS = {
    "config": "as configured",
    "pull_requests": "from AI-assisted PRs",
    "seats": "from AI tool seats",
}


def team_answers(published: Path) -> str:
    with connect(published, read_only=True) as conn:
        adoption = conn.execute(
            "select team_key, adoption_week, adoption_method from marts.team_ai_adoption order by team_key"
        ).fetchall()
        impact = conn.execute(
            "select team_key, metric, verdict, relative_change, change_ci_low, change_ci_high, before_units,"
            " after_units, difference_in_differences, difference_ci_low, difference_ci_high, estimate_basis"
            " from marts.rpt_ai_impact"
        ).fetchall()
        spend = _latest_spend_ratios(conn)
    by_team: dict[str, dict[str, tuple]] = {}
    for row in impact:
        by_team.setdefault(row[0], {})[row[1]] = row
    return "\n".join(
        _paragraph(team, week, method, by_team.get(team, {}), spend.get(team)) for team, week, method in adoption
    )


def _latest_spend_ratios(conn) -> dict[str, tuple]:
    """Each team's latest month with both spends reported: (month, ratio, target)."""
    rows = conn.execute(
        "select team_key, arg_max(month_start, month_start), arg_max(infrastructure_to_ai_spend_ratio, month_start),"
        " arg_max(infrastructure_to_ai_spend_target, month_start) from marts.rpt_investment_monthly"
        " where infrastructure_to_ai_spend_ratio is not null and not is_org_rollup group by team_key"
    ).fetchall()
    return {team: (month, ratio, target) for team, month, ratio, target in rows}


def _paragraph(team: str, week, method: str | None, metrics: dict[str, tuple], spend: tuple | None) -> str:
    if week is None:
        text = f'{team}: has not adopted AI tools (no week qualifies, METRICS.md "Team adoption")'
    else:
        verdict = next(iter(metrics.values()))[2] if metrics else "not enough data"
        figures = [_figure(words, metrics[metric]) for metric, words in _NAMED if metric in metrics]
        text = (
            f"{team}: {verdict} — {'; '.join(figures)} since adopting AI tools in the week of {week} "
            f"({ADOPTION_METHOD_WORDS.get(method, method)})"
        )
    if spend:
        month, ratio, target = spend
        text += f"; infrastructure spend is {ratio:.1f}× AI spend in {month:%Y-%m} (target {target:g}×)"
    return text + "."


def _figure(words: str, row: tuple) -> str:
    _, _, _, change, low, high, before_n, after_n, difference, diff_low, diff_high, basis = row
    if change is None:
        return f"{words}: not enough data (n = {before_n} before, {after_n} after)"
    text = f"{words} {change:+.0%} (95 % CI {low:+.0%} to {high:+.0%}, n = {before_n}/{after_n})"
    if basis == "difference-in-differences" and difference is not None:
        text += f", {difference:+.0%} beyond teams not yet adopted ({diff_low:+.0%} to {diff_high:+.0%})"
    return text
