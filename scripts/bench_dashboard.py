"""`make bench-dashboard [PUBLISHED=...]`: how fast the dashboards read the published snapshot.

Prints p50/p95 wall time of every ready-made query (extractors/dashboards/queries.py, what the report, the
app and docs/BI.md use) and of the app's drill-down to the rows behind a weekly number, each on a fresh
read-only connection as the app opens one, then the HTML report's build time. Goal: p95 <= 100 ms per query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from extractors.core.warehouse import connect
from extractors.dashboards.app_drill import MEASURES, drill_params, drill_sql
from extractors.dashboards.queries import QUERIES, run
from extractors.dashboards.report import write_report

PROJECT_DIR = Path(__file__).resolve().parents[1]


def timed(repeat: int, action: Callable[[], int]) -> tuple[list[float], int]:
    """Milliseconds of each of `repeat` calls (after one warm-up call) and the rows the last one returned."""
    rows = action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = action()
        times.append((time.perf_counter() - started) * 1000)
    return times, rows


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--published", type=Path, default=PROJECT_DIR / ".state/data/published/warehouse.duckdb")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    if not args.published.is_file():
        raise SystemExit(f"no published snapshot at {args.published}: run `make demo` first (or pass --published)")

    def named(name: str) -> Callable[[], int]:
        def action() -> int:
            with connect(args.published, read_only=True) as conn:
                return len(run(conn, name)[1])

        return action

    with duckdb.connect(str(args.published), read_only=True) as conn:
        team, week = conn.execute(
            "select team_key, max(week_start) from marts.rpt_dora_weekly where deployments > 0 group by all "
            "order by count(*) desc, team_key limit 1"
        ).fetchone()

    def drill(measure_key: str) -> Callable[[], int]:
        measure = MEASURES[measure_key]

        def action() -> int:
            with connect(args.published, read_only=True) as conn:
                sql, params = drill_sql(measure), drill_params(measure, [team], [week], None)
                return len(conn.execute(sql, params).fetchall())

        return action

    cases = [(name, named(name)) for name in QUERIES] + [(f"drill {key}", drill(key)) for key in MEASURES]
    size_mb = args.published.stat().st_size / 2**20
    print(f"snapshot {args.published} ({size_mb:.0f} MiB); {args.repeat} runs each, a new read-only connection per run")
    print(f"{'query':34} {'rows':>8} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for name, action in cases:
        times, rows = timed(args.repeat, action)
        worst = max(worst, p95(times))
        print(f"{name:34} {rows:>8} {statistics.median(times):8.1f} {p95(times):8.1f}")
    print(f"slowest p95: {worst:.1f} ms (goal <= 100 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        builds = []
        for _ in range(3):
            started = time.perf_counter()
            write_report(args.published, Path(tmp) / "report.html")
            builds.append(time.perf_counter() - started)
        size_kb = (Path(tmp) / "report.html").stat().st_size / 1024
    print(f"HTML report: {statistics.median(builds):.2f} s median of 3 builds (goal < 10 s), {size_kb:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
