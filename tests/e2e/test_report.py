"""The HTML report of the demo org: self-contained, every chart's spec and data inside, every shown number the marts'.

Expectations are read from the marts with this test's own SQL, not through the report's queries.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema

from extractors.dashboards.queries import QUERIES, run
from extractors.dashboards.report import default_report_path, write_report

pytestmark = pytest.mark.e2e

HEADLINE_METRICS = (
    "prs_merged_per_engineer_week",
    "deployments_per_week",
    "lead_time_p50_hours",
    "request_to_production_p50_hours",
)
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


class Page(HTMLParser):
    """The elements the tests look at: attributes of every tag, JSON spec scripts, and the text of data-field spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.specs: list[tuple[str, str]] = []  # (data-chart, JSON text)
        self.fields: list[tuple[dict[str, str], str]] = []  # (attributes of the enclosing cell + span, text)
        self.ids: set[str] = set()
        self._spec_for: str | None = None
        self._cell: dict[str, str] = {}
        self._field: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script" and "vega-lite-spec" in attributes.get("class", ""):
            self._spec_for, self._text = attributes["data-chart"], []
        if tag in ("td", "p", "section"):
            self._cell = attributes
        if "data-field" in attributes:
            self._field, self._text = {**self._cell, **attributes}, []

    def handle_data(self, data):
        if self._spec_for is not None or self._field is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._spec_for is not None:
            self.specs.append((self._spec_for, "".join(self._text)))
            self._spec_for = None
        elif tag in ("span", "strong") and self._field is not None:
            self.fields.append((self._field, "".join(self._text)))
            self._field = None

    def field(self, name: str, **attributes: str) -> list[str]:
        return [
            text
            for attrs, text in self.fields
            if attrs["data-field"] == name and all(attrs.get(f"data-{k}") == v for k, v in attributes.items())
        ]


@pytest.fixture(scope="module")
def report(demo_published, tmp_path_factory) -> tuple[Path, Page]:
    out = write_report(demo_published, tmp_path_factory.mktemp("report") / "report.html")
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    return out, page


@pytest.fixture(scope="module")
def marts(demo_published):
    conn = duckdb.connect(str(demo_published), read_only=True)
    yield conn
    conn.close()


def test_the_report_is_self_contained(report):
    _, page = report
    for tag, attributes in page.tags:
        for name in ("src", "href", "srcset", "data", "action"):
            value = attributes.get(name, "")
            assert not EXTERNAL.match(value), f"<{tag} {name}={value[:80]!r}> points outside the file"
        if tag == "a":
            assert attributes["href"].startswith(("#", "data:text/csv")), attributes["href"][:80]
        assert not (tag == "link" and attributes.get("rel") == "stylesheet"), "a stylesheet outside the file"
    scripts = [attributes for tag, attributes in page.tags if tag == "script"]
    assert scripts and all("src" not in attributes for attributes in scripts)


def test_every_chart_has_its_spec_and_data(report):
    _, page = report
    charts = {attributes["id"] for tag, attributes in page.tags if "chart" in attributes.get("class", "").split()}
    assert len(charts) >= 10
    assert {chart for chart, _ in page.specs} == charts
    validator = jsonschema.Draft7Validator(load_schema())  # the report skips Altair's validation to save time
    for chart, text in page.specs:
        spec = json.loads(text)
        assert not [error.message for error in validator.iter_errors(spec)], chart
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), chart
        datasets = spec.get("datasets", {})
        assert datasets and all(isinstance(rows, list) for rows in datasets.values()), chart
        assert any(len(rows) > 0 for rows in datasets.values()), f"{chart} has no data"


def _percent(value) -> str:
    return "–" if value is None else f"{value:+.0%}"


def test_the_verdicts_and_headline_numbers_are_the_marts(report, marts):
    _, page = report
    teams = marts.execute(
        "select t.team_key, coalesce(a.has_adopted, false), a.adoption_week from marts.dim_teams as t"
        " left join marts.team_ai_adoption as a on t.team_key = a.team_key"
    ).fetchall()
    verdicts = dict(marts.execute("select team_key, any_value(verdict) from marts.rpt_ai_impact group by 1").fetchall())
    assert len(teams) == 3 and len(verdicts) == 2
    for team, adopted, week in teams:
        assert page.field("ai_verdict", team=team) == [verdicts.get(team, "not adopted")]
        assert page.field("adoption_week", team=team) == ([f"{week:%Y-%m-%d}"] if adopted else [])
    impact = marts.execute(
        "select team_key, metric, relative_change, change_ci_low, change_ci_high, before_units, after_units,"
        " difference_in_differences, estimate_basis from marts.rpt_ai_impact where metric in ?",
        [list(HEADLINE_METRICS)],
    ).fetchall()
    assert len(impact) == 2 * len(HEADLINE_METRICS)
    for team, metric, change, low, high, before_n, after_n, did, basis in impact:
        cell = {"team": team, "metric": metric}
        assert page.field("before_units", **cell) == [f"{before_n:,}"]
        assert page.field("after_units", **cell) == [f"{after_n:,}"]
        if change is not None:
            assert page.field("relative_change", **cell) == [_percent(change)]
            assert page.field("change_ci_low", **cell) == [_percent(low)]
            assert page.field("change_ci_high", **cell) == [_percent(high)]
        if basis == "difference-in-differences" and did is not None:
            assert page.field("difference_in_differences", **cell) == [_percent(did)]


def test_the_data_status_is_the_snapshots(report, marts):
    _, page = report
    loaded = marts.execute("select max(loaded_at) from raw._loaded_files").fetchone()[0]
    assert page.field("last_loaded_at") == [loaded.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")]
    invalid, excluded = marts.execute(
        "select count(*), count(*) filter (where is_record_excluded) from data_quality.dq_invalid_values"
    ).fetchone()
    assert page.field("invalid_values") == [f"{invalid:,}"]
    assert page.field("excluded_records") == [f"{excluded:,}"]
    assert page.field("quarantined_records") == [
        f"{marts.execute('select count(*) from raw._quarantine').fetchone()[0]:,}"
    ]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


def _downloads(page: Page) -> dict[str, list[list[str]]]:
    found = {}
    for tag, attributes in page.tags:
        if tag == "a" and "csv" in attributes.get("class", "").split():
            prefix, _, payload = attributes["href"].partition(",")
            assert prefix == "data:text/csv;charset=utf-8;base64"
            assert attributes["download"] == f"{attributes['data-query']}.csv"
            text = base64.b64decode(payload).decode("utf-8")
            found[attributes["data-query"]] = list(csv.reader(io.StringIO(text)))
    return found


def test_each_csv_download_is_the_rows_behind_its_chart(report, marts):
    _, page = report
    downloads = _downloads(page)
    assert set(downloads) == set(QUERIES)  # every ready-made query's rows are offered
    for name, table in downloads.items():
        columns, rows = run(marts, name)
        assert table[0] == columns, name
        assert table[1:] == [[_csv_cell(v) for v in row] for row in rows], name
        assert len(rows) > 0, f"{name} has no rows on the demo org"
    # and those are the marts' own rows: one per team-week of rpt_dora_weekly, its values unchanged
    dora = marts.execute(
        "select team_key, week_start, deployments, lead_time_p50_hours from marts.rpt_dora_weekly order by 1, 2"
    ).fetchall()
    header, *rows = downloads["dora_weekly"]
    picked = [
        (row[header.index("team_key")], row[header.index("week_start")], row[header.index("deployments")],
         row[header.index("lead_time_p50_hours")])
        for row in rows
    ]  # fmt: skip
    assert picked == [(t, w.isoformat(), str(d), _csv_cell(lead)) for t, w, d, lead in dora]


def test_each_rule_link_lands_on_its_metrics_section(report):
    _, page = report
    metrics = Path(__file__).resolve().parents[2].joinpath("METRICS.md").read_text(encoding="utf-8")
    links = [a["href"] for tag, a in page.tags if tag == "a" and "rule-link" in a.get("class", "")]
    assert len(links) >= 10
    for link in links:
        assert link[1:] in page.ids, f"{link} has no target in the page"
    for query in QUERIES.values():
        assert f"# {query.metrics_section}\n" in metrics, query.metrics_section


def test_delivery_report_writes_beside_the_snapshot_and_prints_the_path(demo_published, tmp_path):
    """The CLI on the demo run's own config: the default path is beside the snapshot; --out writes elsewhere."""
    config = demo_published.parents[2] / "config.yml"
    env_dir = demo_published.parents[1]
    delivery = str(Path(sys.executable).with_name("delivery"))
    out = tmp_path / "mailed.html"
    result = subprocess.run(
        [delivery, "report", "--config", str(config), "--out", str(out)],
        capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "DELIVERY_STATE_DIR": str(env_dir)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert default_report_path(demo_published) == demo_published.with_name("delivery-report.html")


def _dataset(page: Page, chart: str, column: str) -> list[dict]:
    """The rows a chart of the page draws: its spec's one dataset with `column` (the span shading has its own)."""
    spec = json.loads(dict(page.specs)[f"chart-{chart}"])
    (rows,) = [rows for rows in spec["datasets"].values() if rows and column in rows[0]]
    return rows


def test_the_service_trends_draw_each_teams_services_with_the_marts_values(report, marts):
    _, page = report
    expected = marts.execute(
        "select t.team_name, s.service, strftime(s.week_start, '%Y-%m-%d'), s.lead_time_p50_hours"
        " from marts.rpt_dora_service_weekly as s inner join marts.dim_teams as t on s.team_key = t.team_key"
    ).fetchall()
    growth = {service for team, service, _, _ in expected if team == "Growth"}
    assert {"growth-api", "growth-jobs", "growth-web"} < growth  # the monorepo's three, beside a whole repository
    rows = _dataset(page, "service-dora-lead-time-p50-hours", "service")
    drawn = {(r["team_name"], r["service"], r["week_start"][:10], r["lead_time_p50_hours"]) for r in rows}
    assert drawn == set(expected)
    spec = json.loads(dict(page.specs)["chart-service-dora-lead-time-p50-hours"])
    assert spec["facet"]["row"]["field"] == "team_name"  # a panel per team, in it a line per service
    (lines,) = [layer for layer in spec["spec"]["layer"] if layer["mark"]["type"] == "line"]
    assert lines["encoding"]["color"]["field"] == "service"


def test_the_latest_service_weeks_table_is_the_marts_complete_weeks(report, marts):
    _, page = report
    # the four latest weeks before the one in progress, inside the delivery span (METRICS.md "Weeks")
    expected = marts.execute(
        "with latest as (select week_start from marts.dim_weeks where is_in_delivery_span and week_start <"
        " (select max(week_start) from marts.rpt_dora_service_weekly) order by week_start desc limit 4)"
        " select t.team_name || ' · ' || s.service, strftime(s.week_start, '%Y-%m-%d'), s.deployments,"
        " s.deployment_frequency_band from marts.rpt_dora_service_weekly as s"
        " inner join marts.dim_teams as t on s.team_key = t.team_key"
        " where s.week_start in (select week_start from latest)"
    ).fetchall()
    cells = _dataset(page, "service-dora-latest", "service_label")
    shown = {(c["service_label"], c["week"], c["value"], c["band"]) for c in cells if c["metric"] == "deployments"}
    assert shown == {(label, week, f"{n:,}", band) for label, week, n, band in expected}
    assert len({week for _, week, _, _ in expected}) == 4
