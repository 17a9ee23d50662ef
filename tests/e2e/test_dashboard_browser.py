"""The Streamlit app and the HTML report in headless Chromium, over the demo run's published snapshot.

The app runs as `streamlit run` on a free loopback port; Chromium loads it, waits until every section and
chart has drawn, and the page is checked against the marts read straight from the snapshot. Screenshots
are kept under pytest's temp folder (their paths are printed) as the run's artifacts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.browser import start, stop

pytestmark = pytest.mark.e2e

PROJECT_DIR = Path(__file__).resolve().parents[2]
APP = PROJECT_DIR / "extractors" / "dashboards" / "app.py"
DEFAULT_WEEKS = 12  # the app's default period
# Ready: the last element arrived, nothing is running or still a skeleton, every chart drew its marks; or an
# exception showed (asserted on right after).
READY = """document.querySelector('[data-testid=stException]') || (document.body
  && document.body.innerText.includes('End of page')
  && !document.querySelector('[data-testid=stSkeleton]') && !document.querySelector('[data-testid=stStatusWidget]')
  && Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]'))
       .every(c => c.querySelector('svg .role-mark')))"""
METRICS = """Object.fromEntries(Array.from(document.querySelectorAll('[data-testid=stMetric]')).map(m => [
  m.querySelector('[data-testid=stMetricLabel]').innerText.trim(),
  m.querySelector('[data-testid=stMetricValue]').innerText.trim()]))"""
# marks drawn per chart: Vega's SVG renderer puts every mark item under a `role-mark` group
CHART_MARKS = """Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]')).map(c =>
  c.querySelectorAll('svg .role-mark > *').length)"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(config: Path, state_dir: Path, log: Path) -> Iterator[str]:
    """`streamlit run` the app against `config` (its snapshot under `state_dir`); yields the app's URL."""
    port = free_port()
    env = {**os.environ, "DELIVERY_STATE_DIR": str(state_dir)}
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--global.developmentMode", "false", "--client.toolbarMode", "minimal",
               "--server.fileWatcherType", "none", "--", "--config", str(config)]  # fmt: skip
    with log.open("w") as output:
        process = start(command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"streamlit exited {process.returncode}: {log.read_text()[-3000:]}"
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as reply:
                if reply.status == 200:
                    break
            assert time.monotonic() < deadline, f"streamlit never became healthy: {log.read_text()[-3000:]}"
            time.sleep(0.5)
        yield url
    finally:
        stop(process, timeout_s=20)


@pytest.fixture(scope="module")
def demo_config(demo_published: Path) -> Path:
    return demo_published.parents[2] / "config.yml"  # demo_published writes it beside its state dir


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard-screenshots")
    print(f"\nbrowser test screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def app_url(demo_published: Path, demo_config: Path, artifacts: Path) -> Iterator[str]:
    with running_app(demo_config, demo_published.parents[1], artifacts / "streamlit.log") as url:
        yield url


def load(browser, url: str, screenshot: Path | None = None) -> tuple[dict[str, str], list[int], str]:
    """Open `url`, wait for the app to finish drawing: its metrics (label -> value), marks per chart, text."""
    with browser.page(url) as page:
        page.wait_for(READY, timeout_s=240, settle_s=1)
        assert not page.evaluate("!!document.querySelector('[data-testid=stException]')"), page.text()[:3000]
        metrics, marks, text = page.evaluate(METRICS), page.evaluate(CHART_MARKS), page.text()
        if screenshot:
            height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
            page.screenshot(screenshot, height=min(int(height) + 40, 9000))
            print(f"\nscreenshot of {url}: {screenshot}")
    assert "Traceback" not in text and "Error" not in text, text[:3000]
    return metrics, marks, text


def marts(published: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(published), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def default_weeks(published: Path) -> tuple[dt.date, dt.date]:
    (last,) = marts(published, "select max(week_start) from marts.rpt_dora_weekly")[0]
    (first,) = marts(published, "select min(week_start) from marts.rpt_dora_weekly")[0]
    return max(first, last - dt.timedelta(weeks=DEFAULT_WEEKS - 1)), last


def expected_headline(published: Path, teams: list[str]) -> dict[str, str]:
    first, last = default_weeks(published)
    marks = ", ".join("?" for _ in teams)
    deployments, merged, incidents, measured, failed = marts(
        published,
        "select sum(deployments), sum(merged_prs), sum(incidents), sum(failure_rate_deployments),"
        " sum(failed_deployments) from marts.rpt_dora_weekly"
        f" where team_key in ({marks}) and week_start between ? and ?",
        [*teams, first, last],
    )[0]
    (delivered,) = marts(
        published,
        "select sum(items_delivered) from marts.rpt_request_to_production_weekly"
        f" where team_key in ({marks}) and week_start between ? and ?",
        [*teams, first, last],
    )[0]
    return {
        "Production deployments": f"{deployments:,}",
        "Merged pull requests": f"{merged:,}",
        "Change failure rate": f"{failed / measured:.1%}",
        "Incidents": f"{incidents:,}",
        "Work items delivered": f"{delivered:,}",
    }


def expected_verdicts(published: Path) -> dict[str, str]:
    """Team name -> its verdict in rpt_ai_impact; `not adopted` for a team team_ai_adoption has not seen adopt."""
    rows = marts(
        published,
        "select t.team_name, a.has_adopted, any_value(i.verdict) from marts.dim_teams as t"
        " left join marts.team_ai_adoption as a using (team_key) left join marts.rpt_ai_impact as i using (team_key)"
        " group by all",
    )
    return {
        f"Verdict · {name}": verdict or ("not enough data" if adopted else "not adopted")
        for name, adopted, verdict in rows
    }


def test_app_draws_every_chart_with_the_marts_verdicts_and_numbers(browser, app_url, demo_published, artifacts):
    metrics, marks, _ = load(browser, app_url, artifacts / "app.png")
    # DORA x4, DORA per service x4, request to production, stages, defect escape, AI vs other, divergence,
    # investment
    assert len(marks) == 14, f"charts drawn: {marks}"
    assert all(count > 0 for count in marks), f"a chart drew no marks: {marks}"
    verdicts = {label: value for label, value in metrics.items() if label.startswith("Verdict")}
    assert verdicts == expected_verdicts(demo_published)
    teams = [key for (key,) in marts(demo_published, "select team_key from marts.dim_teams")]
    headline = {label: metrics[label] for label in expected_headline(demo_published, teams)}
    assert headline == expected_headline(demo_published, teams)


def test_team_filter_in_the_url_changes_what_is_shown(browser, app_url, demo_published, artifacts):
    every_team, _, _ = load(browser, app_url)
    ledger, marks, text = load(browser, f"{app_url}/?team=ledger", artifacts / "app-ledger.png")
    assert all(count > 0 for count in marks), marks
    verdicts = {label: value for label, value in ledger.items() if label.startswith("Verdict")}
    assert verdicts == {"Verdict · Ledger": expected_verdicts(demo_published)["Verdict · Ledger"]}
    expected = expected_headline(demo_published, ["ledger"])
    assert {label: ledger[label] for label in expected} == expected
    assert ledger["Production deployments"] != every_team["Production deployments"]
    assert "ledger: weeks of" in text


# the text of every chart's SVG (axis labels, legends): what a reader sees named in the charts
CHART_TEXT = """Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg text'))
  .map(t => t.textContent)"""


def test_service_view_draws_only_the_selected_teams_services(browser, app_url, demo_published):
    services = dict(marts(
        demo_published,
        "select team_key, list(distinct service order by service) from marts.rpt_dora_service_weekly"
        " where team_key is not null group by team_key",
    ))  # fmt: skip
    # the monorepo's three services beside a repository that deploys as a whole
    assert {"growth-api", "growth-jobs", "growth-web"} < set(services["growth"]), services
    with browser.page(f"{app_url}/?team=growth") as page:
        page.wait_for(READY, timeout_s=240, settle_s=1)
        text, named = page.text(), set(page.evaluate(CHART_TEXT))
    assert "DORA per service" in text
    assert set(services["growth"]) <= named
    others = {service for team, names in services.items() if team != "growth" for service in names}
    assert not others & named, f"another team's services drawn: {others & named}"


def test_repository_filter_counts_only_that_repositorys_rows(browser, app_url, demo_published):
    first, last = default_weeks(demo_published)
    ((repository, deployments),) = marts(
        demo_published,
        "select repository, count(*) from marts.fct_deployments where team_key = 'ledger' and"
        " is_production_deployment and cast(date_trunc('week', deployed_at) as date) between ? and ?"
        " group by repository order by repository limit 1",
        [first, last],
    )
    metrics, _, text = load(browser, f"{app_url}/?team=ledger&repository={repository}")
    assert metrics["Production deployments"] == f"{deployments:,}"
    assert metrics["Production deployments"] != expected_headline(demo_published, ["ledger"])["Production deployments"]
    assert f"{repository} only" in text


def test_drill_down_shows_the_rows_that_make_a_number(browser, app_url, demo_published):
    first, last = default_weeks(demo_published)
    week, deployments = marts(
        demo_published,
        "select week_start, deployments from marts.rpt_dora_weekly where team_key = 'ledger'"
        " and week_start between ? and ? and deployments > 0 order by week_start limit 1",
        [first, last],
    )[0]
    metrics, _, text = load(browser, f"{app_url}/?team=ledger&drill=deployments&week={week:%Y-%m-%d}")
    label = f"production deployments · ledger · week of {week:%Y-%m-%d} (marts.rpt_dora_weekly)"
    assert metrics[label] == f"{deployments:,}"
    assert f"{deployments} rows from marts.fct_deployments" in text


def test_app_reads_a_snapshot_swapped_in_while_it_runs(browser, demo_published, demo_config, tmp_path):
    """The pipeline replaces the snapshot by a rename; the next page load shows the new file's numbers."""
    snapshot = tmp_path / "data" / "published" / "warehouse.duckdb"
    snapshot.parent.mkdir(parents=True)
    shutil.copy(demo_published, snapshot)
    with running_app(demo_config, tmp_path / "data", tmp_path / "streamlit.log") as url:
        before, _, _ = load(browser, f"{url}/?team=ledger")
        changed = tmp_path / "next.duckdb"
        shutil.copy(demo_published, changed)
        with duckdb.connect(str(changed)) as conn:  # one more production deployment in the latest week
            conn.execute("update marts.rpt_dora_weekly set deployments = deployments + 1 where team_key = 'ledger'"
                         " and week_start = (select max(week_start) from marts.rpt_dora_weekly)")  # fmt: skip
        os.replace(changed, snapshot)
        after, _, _ = load(browser, f"{url}/?team=ledger")
    count = int(before["Production deployments"].replace(",", ""))
    assert after["Production deployments"] == f"{count + 1:,}"


# the report draws each chart from a <script class="vega-lite-spec" data-chart=ID> into the element ID, or
# writes "This chart could not be drawn" there with class chart-error
REPORT_CHARTS = """Array.from(document.querySelectorAll('script.vega-lite-spec'))
  .map(s => document.getElementById(s.dataset.chart))"""
REPORT_READY = f"""document.readyState === 'complete' && {REPORT_CHARTS}.length > 0
  && {REPORT_CHARTS}.every(t => t.querySelector('svg .role-mark') || t.classList.contains('chart-error'))"""


def test_html_report_draws_every_chart_without_errors(browser, demo_published, artifacts):
    from extractors.dashboards.report import write_report

    report = write_report(demo_published, artifacts / "report.html")
    url = report.resolve().as_uri()
    with browser.page(url) as page:
        page.wait_for(REPORT_READY, timeout_s=120, settle_s=1)
        marks = page.evaluate(f"{REPORT_CHARTS}.map(t => t.querySelectorAll('svg .role-mark > *').length)")
        failed = page.evaluate(f"{REPORT_CHARTS}.filter(t => t.classList.contains('chart-error')).map(t => t.id)")
        text = page.text()
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(artifacts / "report.png", height=min(int(height), 9000))
        print(f"\nscreenshot of {url}: {artifacts / 'report.png'}")
    assert not failed, f"charts not drawn: {failed}"
    assert all(count > 0 for count in marks), f"a chart drew no marks: {marks}"
    assert "Traceback" not in text and "Error" not in text, text[:3000]
