"""End to end for the business source: simulator files -> extract -> load -> dbt -> rpt_investment_monthly equals
the simulator's truth; re-extracting unchanged files lands nothing; an edited file re-lands, a row removed from
it disappears from the mart and a bad row is quarantined with its reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from extractors.core.config import load_config
from tests.e2e.investment_truth import differences, mart_rows

pytestmark = pytest.mark.e2e
DELIVERY = str(Path(sys.executable).with_name("delivery"))


def delivery(*args: str) -> str:
    result = subprocess.run([DELIVERY, *args], capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert result.returncode == 0, f"delivery {args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout


def own_business_files(config_path: Path, sim_dir: Path, tmp_path: Path) -> Path:
    """Point the business source at a copy of the simulator's files, so this test may edit them."""
    shutil.copytree(sim_dir / "business", tmp_path / "business")
    document = yaml.safe_load(config_path.read_text())
    [business] = [s for s in document["sources"] if s["kind"] == "business"]
    for scope in business["scopes"]:
        scope["paths"] = [p.replace(str(sim_dir), str(tmp_path)) for p in scope["paths"]]
    config_path.write_text(yaml.safe_dump(document, sort_keys=False, width=200))
    return tmp_path / "business"


def test_investment_mart_equals_truth_and_follows_the_files(pipeline_config, sim_dir, window_end, tmp_path):
    files = own_business_files(pipeline_config, sim_dir, tmp_path)
    config = load_config(pipeline_config)
    for source in config.sources:  # every source: the mart reads deployments, changes and work items too
        delivery("extract", "--config", str(pipeline_config), "--source", source.name, "--until", window_end)
    delivery("load", "--config", str(pipeline_config))
    delivery("transform", "--config", str(pipeline_config), "--", "--select", "+rpt_investment_monthly",
             "--indirect-selection", "cautious")  # tests of other marts wait for their own build
    assert differences(config.duckdb_path, sim_dir / "ground_truth_investment.json") == []

    rows = mart_rows(config.duckdb_path)
    # the story: the slow team that adopted AI ends below the 2:1 target; the team that never adopted has no ratio
    assert rows[("ledger", "2026-06-01")]["is_below_infrastructure_ratio_target"] is True
    assert rows[("checkout", "2026-06-01")]["is_below_infrastructure_ratio_target"] is False
    assert "infrastructure_to_ai_spend_ratio: no AI tool spend" in rows[("growth", "2026-06-01")]["missing_reason"]
    # July's books are not closed: delivery outcomes, no business numbers, and the reason
    july = rows[("*", "2026-07-01")]
    assert july["ai_tool_spend"] is None and july["ai_tool_spend_rows"] == 0 and july["deployments"] > 0
    assert july["missing_reason"].startswith("ai_tool_spend: not reported; infrastructure_spend: not reported")

    extracted = delivery("extract", "--config", str(pipeline_config), "--source", "business", "--until", window_end)
    assert '"monthly_measures": 0' in extracted  # unchanged files land nothing
    assert '"files": 0' in delivery("load", "--config", str(pipeline_config))

    spend = files / "finance" / "spend.csv"
    lines = [line for line in spend.read_text().splitlines() if not line.startswith("2026-03,ledger,infrastructure_")]
    lines = ["2026-03,checkout,ai_tool_spend,777.00,EUR," if line.startswith("2026-03,checkout,ai_tool_spend,")
             else line for line in lines]
    repeated = next(n for n, line in enumerate(lines, 1) if line.startswith("2026-04,growth,ai_tool_spend,"))
    lines += [lines[repeated - 1], "2026-13,ledger,ai_tool_spend,1,EUR,"]
    spend.write_text("\n".join(lines) + "\n")
    delivery("extract", "--config", str(pipeline_config), "--source", "business", "--until", window_end)
    delivery("load", "--config", str(pipeline_config))
    delivery("transform", "--config", str(pipeline_config), "--", "--select", "business_measures+")

    after = mart_rows(config.duckdb_path)
    assert after[("checkout", "2026-03-01")]["ai_tool_spend"] == 777.0
    assert after[("ledger", "2026-03-01")]["infrastructure_spend"] is None  # removed from the file: gone
    assert after[("ledger", "2026-03-01")]["missing_reason"].startswith("infrastructure_spend: not reported")
    assert "infrastructure_spend: reported for 2 of 3 teams" in after[("*", "2026-03-01")]["missing_reason"]
    assert after[("growth", "2026-04-01")]["ai_tool_spend"] is None  # given twice: every copy quarantined
    assert after[("ledger", "2026-05-01")] == rows[("ledger", "2026-05-01")]  # the rest is as before
    with duckdb.connect(str(config.duckdb_path), read_only=True) as conn:
        reasons = [r[0] for r in conn.execute("""select reason from raw._quarantine where stream = 'monthly_measures'
                                                 order by line_number""").fetchall()]
    copy = len(lines) - 1
    assert reasons == [
        f"{spend} line {repeated}: month 2026-04, team growth, measure ai_tool_spend is also at {spend} line {copy}; "
        "expected each month/team/measure once (every copy is quarantined)",
        f"{spend} line {copy}: month 2026-04, team growth, measure ai_tool_spend is also at {spend} line {repeated}; "
        "expected each month/team/measure once (every copy is quarantined)",
        f"{spend} line {len(lines)}, column 1 (month): got '2026-13', expected a month like 2026-01 (YYYY-MM)",
    ]
