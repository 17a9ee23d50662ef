"""The report's small pure pieces: band shading, rule anchors, CSV and JSON embedding, the generated BI.md list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from extractors.dashboards import queries_doc
from extractors.dashboards.charts import band_ranges
from extractors.dashboards.page import _script_json, csv_text
from extractors.dashboards.queries import QUERIES
from extractors.dashboards.rules import METRICS_MD, github_slug, metrics_sections, rule_anchor

ROOT = Path(__file__).resolve().parents[2]


def _bands(rows):
    return pd.DataFrame(rows, columns=["band", "band_rank", "threshold"])


def test_bands_at_most_skip_a_band_that_can_never_be_reached():
    # 2024's change failure rate: medium's 10% is below high's 20% (METRICS.md "DORA bands")
    bands = _bands([("elite", 1, 0.05), ("high", 2, 0.20), ("medium", 3, 0.10), ("low", 4, None)])
    assert band_ranges(bands, at_least=False, top=1.0).to_dict("records") == [
        {"band": "elite", "band_low": 0.0, "band_high": 0.05},
        {"band": "high", "band_low": 0.05, "band_high": 0.20},
        {"band": "low", "band_low": 0.20, "band_high": 1.0},
    ]


def test_bands_at_least_run_from_their_threshold_up_to_the_better_band_and_are_clipped_to_the_axis():
    bands = _bands([("elite", 1, 7), ("high", 2, 1), ("medium", 3, 0.25), ("low", 4, 0)])
    assert band_ranges(bands, at_least=True, top=10.0).to_dict("records") == [
        {"band": "elite", "band_low": 7.0, "band_high": 10.0},
        {"band": "high", "band_low": 1.0, "band_high": 7.0},
        {"band": "medium", "band_low": 0.25, "band_high": 1.0},
        {"band": "low", "band_low": 0.0, "band_high": 0.25},
    ]
    assert [r["band"] for r in band_ranges(bands, at_least=True, top=5.0).to_dict("records")] == [
        "high", "medium", "low",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("AI impact (`rpt_ai_impact`)", "ai-impact-rpt_ai_impact"),
        (
            "Outcomes in `rpt_dora_weekly` (per repository's team, week of the deployment)",
            "outcomes-in-rpt_dora_weekly-per-repositorys-team-week-of-the-deployment",
        ),
        ("Metric definitions", "metric-definitions"),
    ],
)
def test_rule_anchors_are_githubs_heading_slugs(heading, slug):
    assert github_slug(heading) == slug
    assert rule_anchor(heading) == f"rule-{slug}"


def test_metrics_sections_split_at_every_heading():
    text = "# Top\nintro\n## A (`x`)\nrule a\n\nmore\n### B\nrule b\n"
    assert metrics_sections(text) == {"Top": "intro", "A (`x`)": "rule a\n\nmore", "B": "rule b"}


def test_every_ready_made_query_cites_a_metrics_heading_and_declares_unique_columns():
    sections = metrics_sections(METRICS_MD.read_text(encoding="utf-8"))
    for name, query in QUERIES.items():
        assert query.name == name
        assert query.metrics_section in sections, f"{name}: no METRICS.md heading {query.metrics_section!r}"
        assert len(set(query.columns)) == len(query.columns), name
        assert "staging." not in query.sql and "intermediate." not in query.sql, name


def test_csv_text_round_trips_values_as_the_database_gave_them():
    rows = [("a,b", dt.date(2026, 1, 5), 0.1 + 0.2, None, True, dt.datetime(2026, 1, 5, 1, 2, tzinfo=dt.UTC))]
    text = csv_text(["name", "week", "share", "missing", "flag", "at"], rows)
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == ["name", "week", "share", "missing", "flag", "at"]
    assert row == ["a,b", "2026-01-05", repr(0.1 + 0.2), "", "True", "2026-01-05T01:02:00+00:00"]
    assert float(row[2]) == 0.1 + 0.2


def test_embedded_json_cannot_close_its_script_element():
    text = _script_json({"title": "</script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script>"}


def test_bi_md_lists_the_ready_made_queries_as_queries_py_has_them():
    text = (ROOT / "docs" / "BI.md").read_text(encoding="utf-8")
    assert queries_doc.rewritten(text) == text, (
        "docs/BI.md's query list is out of date: python -m extractors.dashboards.queries_doc docs/BI.md"
    )
    for query in QUERIES.values():
        assert query.sql.strip() in text
