"""What the report shows, in order: each figure's chart, its sample size or coverage, its rule and its rows.

`build_sections(frames)` takes one DataFrame per ready-made query (queries.py) and decides the content;
page.py only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from extractors.dashboards import charts
from extractors.dashboards import formatting as fmt
from extractors.dashboards.latest_weeks import latest_complete_weeks
from extractors.dashboards.queries import QUERIES


@dataclass(frozen=True)
class Figure:
    key: str  # the element id of the chart in the page
    title: str
    chart: alt.TopLevelMixin
    sample: str  # the sample size / coverage sentence under the chart
    queries: tuple[str, ...]  # the ready-made queries whose rows are behind it, offered as CSV
    rule: str = ""  # the METRICS.md section; default: the first query's

    @property
    def metrics_section(self) -> str:
        return self.rule or QUERIES[self.queries[0]].metrics_section


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    figures: tuple[Figure, ...]


def _weighted(frame: pd.DataFrame, ratio: str, weight: str) -> str:
    """A ratio over all rows: sum(ratio × its denominator) ÷ sum(denominator)."""
    rows = frame.dropna(subset=[ratio])
    total = rows[weight].sum()
    return fmt.share((rows[ratio] * rows[weight]).sum() / total) if total else fmt.DASH


def _span_of(weeks: pd.DataFrame) -> str:
    if weeks.empty:
        return "no weeks"
    return (
        f"{weeks['week_start'].nunique()} weeks ({fmt.day(weeks['week_start'].min())} to "
        f"{fmt.day(weeks['week_start'].max())}) × {weeks['team_key'].nunique()} teams"
    )


def _thresholds(bands: pd.DataFrame, metric: str) -> pd.DataFrame:
    return bands[bands["metric"] == metric]


def _threshold_words(bands: pd.DataFrame, metric: str, unit: str) -> str:
    rows = _thresholds(bands, metric)
    words = [
        f"{band.band} {band.threshold_means} "
        + (fmt.share(band.threshold) if unit == "%" else f"{band.threshold:g}{unit}")
        for band in rows.itertuples()
        if not fmt.missing(band.threshold)
    ]
    year = int(rows["year"].iloc[0]) if len(rows) else None
    return f"{year} bands: {', '.join(words)}" if year else "no band thresholds"


def ai_section(impact: pd.DataFrame, comparison: pd.DataFrame) -> Section:
    compared = impact.dropna(subset=["relative_change"])
    with_control = impact.dropna(subset=["difference_in_differences"])
    impact_figure = Figure(
        "ai-impact",
        "Change after adopting AI tools, per metric, with 95% intervals",
        charts.ai_impact_intervals(impact),
        f"{impact['team_key'].nunique()} adopting teams, {len(impact)} team-metrics: {len(compared)} with both spans "
        f"usable, {len(with_control)} also compared with teams not yet adopted; each metric's units before/after "
        "(team-weeks for a rate, events for a median) are in its tooltip and the CSV.",
        ("ai_impact", "team_verdicts"),
    )
    shown = comparison[comparison["comparison_status"] == "compared"]
    comparison_figure = Figure(
        "ai-pr-comparison",
        "AI-assisted vs other merged pull requests (ai ÷ other − 1, 95% intervals)",
        charts.pr_comparison(comparison),
        f"{len(shown)} of {len(comparison)} team × period × measure rows have enough pull requests in both groups "
        f"to compare; {int(shown['ai_units'].sum()):,} AI-assisted and {int(shown['other_units'].sum()):,} other "
        "units behind them (per row in the CSV).",
        ("ai_pr_comparison",),
    )
    return Section(
        "AI impact",
        "Before vs after each team's adoption week (the ramp weeks left out), and the difference beyond the "
        "teams that had not adopted yet over the same weeks.",
        (impact_figure, comparison_figure),
    )


def dora_section(weeks: pd.DataFrame, bands: pd.DataFrame) -> Section:
    span = _span_of(weeks)
    specs = (
        ("deployments", "deployment_frequency", "Production deployments per week", ",d", "",
         f"{int(weeks['deployments'].sum()):,} successful production deployments over {span}"),
        ("lead_time_p50_hours", "lead_time_hours", "Lead time for changes, p50 (hours)", ",.0f", " h",
         f"{int(weeks['changes_deployed'].sum()):,} changes deployed with a lead time over {span}"),
        ("change_failure_rate", "change_failure_rate", "Change failure rate", ".0%", "%",
         f"{int(weeks['failure_rate_deployments'].sum()):,} deployments, "
         f"{int(weeks['failed_deployments'].sum()):,} failed in production, over {span} "
         f"({int(weeks['failed_attempts'].sum()):,} failed deployment attempts are counted apart)"),
        ("recovery_time_p50_hours", "recovery_time_hours", "Failed-deployment recovery time, p50 (hours)", ",.1f",
         " h", f"{int(weeks['failures_recovered'].sum()):,} recovered failures over {span}"),
    )  # fmt: skip
    figures = tuple(
        Figure(
            f"dora-{column.replace('_', '-')}",
            title,
            charts.dora_trend(weeks, _thresholds(bands, metric), column, title, axis_format),
            f"{sample}. Shading: {_threshold_words(bands, metric, unit)}.",
            ("dora_weekly", "dora_band_thresholds"),
        )
        for column, metric, title, axis_format, unit, sample in specs
    )
    coverage = (
        f"Coverage: {_weighted(weeks, 'pr_deployment_coverage', 'merged_prs')} of "
        f"{int(weeks['merged_prs'].sum()):,} merged PRs traced to a production deployment; "
        f"{_weighted(weeks, 'incident_attribution_coverage', 'incidents')} of {int(weeks['incidents'].sum()):,} "
        "incidents attributed to one."
    )
    return Section("DORA trends", coverage, figures)


# (column, its band, title, axis format, the latest-weeks table's heading and Python format)
SERVICE_METRICS = (
    ("deployments", "deployment_frequency_band", "Production deployments per week", ",d", "deployments", "{:,.0f}"),
    ("lead_time_p50_hours", "lead_time_band", "Lead time for changes, p50 (hours)", ",.0f", "lead time p50",
     "{:,.0f} h"),
    ("change_failure_rate", "change_failure_rate_band", "Change failure rate", ".0%", "change failure rate",
     "{:.0%}"),
    ("recovery_time_p50_hours", "recovery_time_band", "Failed-deployment recovery time, p50 (hours)", ",.1f",
     "recovery p50", "{:,.1f} h"),
)  # fmt: skip


def service_dora_section(weeks: pd.DataFrame) -> Section:
    """Each team's DORA figures split by the services it owns (METRICS.md "Services"): which one moves the team's."""
    span = f"{weeks['service'].nunique()} services; {_span_of(weeks)}"
    figures = tuple(
        Figure(
            f"service-dora-{column.replace('_', '-')}",
            f"{title}, per service",
            charts.service_lines(weeks, column, band, title, axis_format),
            f"One line per service, a panel per team; {span}. The band in the tooltip is the service's own.",
            ("dora_service_weekly",),
        )
        for column, band, title, axis_format, _, _ in SERVICE_METRICS
    )
    latest = latest_complete_weeks(weeks)
    table = Figure(
        "service-dora-latest",
        "Each service in the latest complete weeks, coloured by its band",
        charts.service_latest_weeks(latest, tuple((c, b, h, p) for c, b, _, _, h, p in SERVICE_METRICS)),
        f"{latest['service'].nunique()} services × {latest['week_start'].nunique()} weeks: the weeks before the one "
        f"in progress, inside the delivery span; {int(latest['deployments'].sum()):,} deployments, "
        f"{int(latest['changes_deployed'].sum()):,} changes with a lead time and "
        f"{int(latest['failures_recovered'].sum()):,} recovered failures behind them.",
        ("dora_service_weekly",),
    )
    return Section(
        "DORA per service",
        "A team's services (each configured service of a monorepo, and each repository that deploys as a whole) "
        "with their own deployments, lead times, failures and recovery; their counts add up to the team's.",
        (*figures, table),
    )


def flow_section(requests: pd.DataFrame, stages: pd.DataFrame) -> Section:
    request_figure = Figure(
        "request-to-production",
        "Request to production, p50 (hours), by week of deployment",
        charts.weekly_lines(requests, "request_to_production_p50_hours", "Request to production p50 (h)", ",.0f",
                            "items_delivered", delivery_weeks=requests),
        f"{int(requests['items_delivered'].sum()):,} customer requests and features delivered over "
        f"{_span_of(requests)}; the waits (to start, to PR, to merge, to deploy) per week are in the CSV.",
        ("request_to_production_weekly",),
    )  # fmt: skip
    per_week = stages.drop_duplicates(["team_key", "week_start"])
    # the grid's last week is still in progress (METRICS.md "Alerts"): name the one before it
    complete = per_week[per_week["week_start"] < per_week["week_start"].max()] if len(per_week) else per_week
    latest = complete.dropna(subset=["bottleneck_stage"]).sort_values("week_start").groupby("team_name").tail(1)
    bottlenecks = "; ".join(
        f"{row.team_name}: {row.bottleneck_stage} "
        f"(week of {fmt.day(row.week_start)}, {int(row.changes_deployed)} changes)"
        for row in latest.itertuples()
    )
    stage_figure = Figure(
        "bottleneck-stages",
        "Where pull requests wait: each stage's share of the hours, by week of deployment",
        charts.stage_breakdown(stages),
        f"{int(per_week['changes_deployed'].sum()):,} changes deployed over {_span_of(per_week)}. "
        f"Bottleneck in the latest complete week with a deployment: {bottlenecks or fmt.DASH}.",
        ("bottleneck_stages_weekly",),
    )
    return Section(
        "Flow",
        "From a customer request to production, and where the pull requests that carry it wait.",
        (request_figure, stage_figure),
    )


def quality_section(escapes: pd.DataFrame) -> Section:
    figure = Figure(
        "defect-escape",
        "Defect escape rate, by week the bug was created",
        charts.weekly_lines(escapes, "defect_escape_rate", "Bugs found in production ÷ bugs", ".0%", "bugs"),
        f"{int(escapes['bugs'].sum()):,} bugs, {int(escapes['bugs_found_in_production'].sum()):,} found in "
        f"production, over {_span_of(escapes)}.",
        ("defect_escape_weekly",),
    )
    return Section("Defect escape", "", (figure,))


def divergence_section(weeks: pd.DataFrame) -> Section:
    judged = weeks[weeks["divergence_status"] != "not enough data"]
    counts = judged["divergence_status"].value_counts()
    figure = Figure(
        "divergence",
        "Busier or faster: the activity index beside the outcome index",
        charts.divergence_indexes(weeks),
        f"{len(judged)} of {len(weeks)} team-weeks (and organisation weeks) have a full window and baseline: "
        + ", ".join(f"{n} {status}" for status, n in counts.items())
        + "; outcome measures below the minimum sample are left out of the index (the CSV has each measure).",
        ("divergence_weekly",),
    )
    return Section("Divergence", "", (figure,))


def investment_section(months: pd.DataFrame) -> Section:
    teams = months[~months["is_org_rollup"].astype(bool)]
    reported = teams.dropna(subset=["infrastructure_to_ai_spend_ratio"])
    below = int(reported["is_below_infrastructure_ratio_target"].fillna(False).astype(bool).sum())
    figure = Figure(
        "investment",
        "Infrastructure spend per unit of AI tool spend (dashed: the target)",
        charts.spend_ratio(months),
        f"{len(reported)} of {len(teams)} team-months with both spends reported ({below} below the target); "
        f"{int(months['missing_reason'].notna().sum())} rows say why a value is missing (missing_reason in the CSV).",
        ("investment_monthly",),
    )
    return Section("Investment", "", (figure,))


def build_sections(frames: dict[str, pd.DataFrame]) -> tuple[Section, ...]:
    return (
        ai_section(frames["ai_impact"], frames["ai_pr_comparison"]),
        dora_section(frames["dora_weekly"], frames["dora_band_thresholds"]),
        service_dora_section(frames["dora_service_weekly"]),
        flow_section(frames["request_to_production_weekly"], frames["bottleneck_stages_weekly"]),
        quality_section(frames["defect_escape_weekly"]),
        divergence_section(frames["divergence_weekly"]),
        investment_section(frames["investment_monthly"]),
    )
