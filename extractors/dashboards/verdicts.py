"""The report's top: per team, busier or faster, and the AI impact headline figures with 95% intervals.

Every value comes from the team_verdicts and ai_impact queries; each cell carries data-team / data-metric /
data-field attributes so a reader's tools (and the tests) can tie a shown figure to its mart value.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from extractors.answer import ADOPTION_METHOD_WORDS
from extractors.dashboards import formatting as fmt

# the figures a verdict rests on (METRICS.md "AI impact": speed outcomes decide, PRs merged says "busier")
HEADLINE_METRICS = (
    ("prs_merged_per_engineer_week", "PRs merged per engineer-week"),
    ("deployments_per_week", "Deployments per week"),
    ("lead_time_p50_hours", "Lead time p50"),
    ("request_to_production_p50_hours", "Request to production p50"),
)


def _span(field: str, text: str) -> str:
    return f'<span data-field="{field}">{escape(text)}</span>'


def headline_cell(row: pd.Series | None) -> str:
    """One metric's change after adoption: value, interval, sample sizes, and the difference beyond control."""
    if row is None:
        return "not compared"
    if fmt.missing(row["relative_change"]):
        return (
            f"not enough data (n = {_span('before_units', fmt.count(row['before_units']))} before, "
            f"{_span('after_units', fmt.count(row['after_units']))} after)"
        )
    text = (
        f"{_span('relative_change', fmt.change(row['relative_change']))} "
        f"(95% CI {_span('change_ci_low', fmt.change(row['change_ci_low']))} to "
        f"{_span('change_ci_high', fmt.change(row['change_ci_high']))}; "
        f"n = {_span('before_units', fmt.count(row['before_units']))} before, "
        f"{_span('after_units', fmt.count(row['after_units']))} after)"
    )
    if row["estimate_basis"] == "difference-in-differences" and not fmt.missing(row["difference_in_differences"]):
        text += (
            f"<br>{_span('difference_in_differences', fmt.change(row['difference_in_differences']))} beyond teams "
            f"not yet adopted ({_span('difference_ci_low', fmt.change(row['difference_ci_low']))} to "
            f"{_span('difference_ci_high', fmt.change(row['difference_ci_high']))})"
        )
    return text + f"<br><small>{escape(str(row['direction']))}</small>"


def verdict_table(teams: pd.DataFrame, impact: pd.DataFrame) -> str:
    by_metric = {(r["team_key"], r["metric"]): r for _, r in impact.iterrows()}
    header = "".join(
        f"<th>{escape(h)}</th>"
        for h in ("Team", "AI verdict", "Adopted AI tools", "Latest complete week")
        + tuple(words for _, words in HEADLINE_METRICS)
    )
    rows = []
    for _, team in teams.iterrows():
        key = escape(str(team["team_key"]))
        adopted = (
            f"week of {_span('adoption_week', fmt.day(team['adoption_week']))} "
            f"({escape(ADOPTION_METHOD_WORDS.get(team['adoption_method'], str(team['adoption_method'])))})"
            if team["has_adopted"]
            else "not adopted"
        )
        divergence = (
            f"{_span('divergence_status', str(team['divergence_status']))} "
            f"(week of {fmt.day(team['divergence_week'])}; activity {fmt.change(team['activity_index'])}, "
            f"outcomes {fmt.change(team['outcome_index'])})"
            if not fmt.missing(team["divergence_status"])
            else fmt.DASH
        )
        cells = [
            f'<th scope="row">{escape(str(team["team_name"]))}</th>',
            f'<td class="verdict" data-team="{key}">{_span("ai_verdict", str(team["ai_verdict"]))}</td>',
            f'<td data-team="{key}">{adopted}</td>',
            f'<td data-team="{key}">{divergence}</td>',
        ]
        for metric, _ in HEADLINE_METRICS:
            figure = headline_cell(by_metric.get((team["team_key"], metric)))
            cells.append(f'<td data-team="{key}" data-metric="{metric}">{figure}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="verdicts"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
