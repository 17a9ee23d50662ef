"""ground_truth.json's outcome, work item and PR cycle columns: invariants, counts against org.sqlite, bands."""

import json
import re
import sqlite3
from collections import defaultdict

import pytest

from simulator import generate
from simulator.timeutil import parse_iso, week_start
from simulator.truth_bands import band

RATIOS = ("change_failure_rate", "failed_deployment_attempt_rate", "rework_rate", "pr_deployment_coverage",
          "change_measurement_coverage", "incident_attribution_coverage", "work_item_pr_coverage",
          "defect_escape_rate")  # fmt: skip
STAGES = ("coding", "pickup", "review", "rework", "merge", "deploy_wait")
WAITS = ("wait_to_start", "start_to_pr", "pr_to_merge", "merge_to_deploy", "request_to_production")
NEW_COLUMNS = {
    "change_measurement_coverage", "deployment_attempts", "failed_attempts", "failed_deployment_attempt_rate",
    "failure_rate_deployments",
    "failed_deployments", "change_failure_rate", "failures_recovered",
    "recovery_time_p50_hours", "rework_deployments", "rework_rate", "merged_prs", "pr_deployment_coverage",
    "incidents", "incident_attribution_coverage", "work_items_resolved", "work_item_pr_coverage",
    "deployment_frequency_band", "lead_time_band", "change_failure_rate_band", "recovery_time_band",
    "items_delivered", *(f"{w}_p{p}_hours" for w in WAITS for p in (50, 85)),
    "bugs", "bugs_found_in_production", "defect_escape_rate",
    "changes_deployed", *(f"{s}_{x}" for s in STAGES for x in ("hours", "share")), "ci_hours", "ci_share",
    "bottleneck_stage",
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("outcomes"))


@pytest.fixture(scope="module")
def truth(out):
    return json.loads((out / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


def _totals(truth) -> dict[str, float]:
    total = defaultdict(float)
    for r in truth["rows"]:
        for k, v in r.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                total[k] += v
    return total


def _first_week(truth) -> int:
    return parse_iso(min(r["week_start"] for r in truth["rows"]))


def test_every_row_has_every_new_column_and_values_are_in_range(truth):
    assert truth["rows"]
    for r in truth["rows"]:
        assert set(r) >= NEW_COLUMNS
        for k in RATIOS:
            assert r[k] is None or 0 <= r[k] <= 1, (k, r)
        assert (r["change_failure_rate"] is None) == (r["failure_rate_deployments"] == 0)
        assert (r["failed_deployment_attempt_rate"] is None) == (r["deployment_attempts"] == 0)
        assert r["failed_deployments"] <= r["failure_rate_deployments"] == r["deployments"]
        # attempts also count the environment copies, which are not deployments
        assert r["deployments"] + r["failed_attempts"] <= r["deployment_attempts"]
        assert r["failures_recovered"] <= r["failed_deployments"] and r["rework_deployments"] <= r["deployments"]
        assert (r["recovery_time_p50_hours"] is None) == (r["failures_recovered"] == 0)
        assert (r["defect_escape_rate"] is None) == (r["bugs"] == 0)
        assert r["bugs_found_in_production"] <= r["bugs"]
        for w in WAITS:
            assert (r[f"{w}_p50_hours"] is None) or r["items_delivered"] > 0
            if r[f"{w}_p50_hours"] is not None:
                assert r[f"{w}_p50_hours"] <= r[f"{w}_p85_hours"]
        # Every change has commits here, so the bottleneck's changes are the lead time's.
        assert (r["lead_time_p50_hours"] is None) == (r["changes_deployed"] == 0)
        if r["changes_deployed"]:
            assert sum(r[f"{s}_share"] for s in STAGES) == pytest.approx(1.0)  # CI is beside the stages
            largest = max(STAGES, key=lambda s: r[f"{s}_hours"])
            assert r["bottleneck_stage"] == ("ci" if r["ci_hours"] > r[f"{largest}_hours"] else largest)
        else:
            assert r["bottleneck_stage"] is None and all(r[f"{s}_share"] is None for s in (*STAGES, "ci"))


def test_bands_follow_the_2024_thresholds(truth):
    def expected(value, thresholds, higher_is_better):
        if value is None:
            return None
        for name, threshold in zip(("elite", "high", "medium", "low"), thresholds, strict=True):
            if threshold is None or (value >= threshold if higher_is_better else value <= threshold):
                return name

    for r in truth["rows"]:
        assert r["deployment_frequency_band"] == expected(r["busiest_service_deploy_days"], (5, 1, 12 / 52, 0), True)
        assert r["lead_time_band"] == expected(r["lead_time_p50_hours"], (24, 168, 720, None), False)
        assert r["change_failure_rate_band"] == expected(r["change_failure_rate"], (0.05, 0.2, 0.1, None), False)
        assert r["recovery_time_band"] == expected(r["recovery_time_p50_hours"], (1, 24, 24, None), False)
        assert r["change_failure_rate_band"] != "medium" and r["recovery_time_band"] != "medium"
    assert band("change_failure_rate", 0.12, 2023) == "medium" and band("change_failure_rate", 0.12) == "high"
    assert band("deployment_frequency", 0) == "low" and band("lead_time_hours", 1000.0) == "low"


def test_less_than_is_strict_and_gaps_fall_to_low():
    # "less than one day": 24 h is high; "between one day and one week": 168 h is still high
    assert [band("lead_time_hours", h) for h in (23.9, 24.0, 168.0, 168.1)] == ["elite", "high", "high", "medium"]
    assert [band("recovery_time_hours", h) for h in (0.9, 1.0, 23.9)] == ["elite", "high", "high"]
    assert band("recovery_time_hours", 24.0) == "low"  # 2024: nothing published between one day and a week
    assert band("recovery_time_hours", 24.0, 2023) == "medium"


def test_counts_match_org_sqlite(truth, db):
    total, first = _totals(truth), _first_week(truth)
    statuses = db.execute(
        """SELECT d.id, group_concat(s.state) FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id
           WHERE d.environment IN ('production', 'production-eu') GROUP BY d.id"""
    ).fetchall()
    attempts = [states.split(",") for _, states in statuses if {"success", "failure", "error"} & set(states.split(","))]
    failed_attempts = sum("success" not in s for s in attempts)
    assert total["deployment_attempts"] == len(attempts) and total["failed_attempts"] == failed_attempts > 0
    assert total["merged_prs"] == db.execute("SELECT count(*) FROM pulls WHERE merged_at IS NOT NULL").fetchone()[0]
    assert total["incidents"] == db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert total["work_items_resolved"] == db.execute(
        "SELECT count(*) FROM work_items WHERE resolved_at >= ?", (first,)).fetchone()[0]  # fmt: skip
    bugs = db.execute(
        "SELECT count(*), sum(environment = 'production') FROM work_items WHERE type = 'Bug' AND created_at >= ?",
        (first,),
    ).fetchone()
    assert (total["bugs"], total["bugs_found_in_production"]) == bugs
    assert total["changes_deployed"] <= total["merged_prs"]
    delivered_max = db.execute(
        """SELECT count(*) FROM work_items w JOIN pulls p ON p.repo_id = w.repo_id AND p.number = w.pr_number
           WHERE w.type IN ('Story', 'Customer Request') AND p.merged_at IS NOT NULL"""
    ).fetchone()[0]
    assert 0 < total["items_delivered"] <= delivered_max


def test_incident_attribution_metadata_and_entities(out, truth, db):
    meta = truth["metadata"]
    assert meta["incident_attribution_window_hours"] == 24 and meta["dora_band_year"] == 2024
    assert meta["observed_until"] == meta["window_end"]
    by_method = meta["attribution_by_method"]
    assert set(by_method) <= {"explicit_deployment", "explicit_sha", "window", "none"}
    assert sum(m["incidents"] for m in by_method.values()) == db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    # An incident that names its deployment is always attributed to it; the window rule sometimes picks a later one.
    assert by_method["explicit_deployment"]["true_cause"] == by_method["explicit_deployment"]["incidents"] > 0
    assert by_method["window"]["incidents"] > 0
    assert 0.5 < meta["attribution_accuracy"] < 1
    incidents = json.loads((out / "ground_truth_incidents.json").read_text())
    assert len(incidents) == sum(m["incidents"] for m in by_method.values())
    for inc in incidents.values():
        assert (inc["deployment_id"] is None) == (inc["attribution_method"] == "none")
        if inc["deployment_id"] is not None:
            assert inc["deployed_at"] <= inc["created_at"]
    items = json.loads((out / "ground_truth_work_items.json").read_text())
    assert {i["found_in_production_reason"] for i in items.values() if i["canonical_type"] == "bug"} == {"field", None}


def test_plan_links_are_what_the_key_rule_finds(db):
    """Work item <-> PR links by METRICS.md's rule (key in title, branch or a commit) equal the plan's."""
    keys = {k.upper() for (k,) in db.execute("SELECT key FROM work_items")}
    pattern = re.compile(r"\b[A-Za-z][A-Za-z0-9]+-[0-9]+\b")
    texts = defaultdict(list)
    for repo, number, title, branch in db.execute("SELECT repo_id, number, title, head_ref FROM pulls"):
        texts[repo, number] += [title, branch]
    for repo, number, message in db.execute(
        """SELECT pc.repo_id, pc.number, c.message FROM pull_commits pc
           JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha"""
    ):
        texts[repo, number].append(message)
    by_rule = {(pr, k.upper()) for pr, ts in texts.items() for t in ts for k in pattern.findall(t) if k.upper() in keys}
    by_plan = {((r, n), k) for k, r, n in db.execute("SELECT key, repo_id, pr_number FROM work_items WHERE pr_number "
                                                     "IS NOT NULL")}  # fmt: skip
    assert by_rule == by_plan


def test_demo_has_enough_outcomes_to_compare(truth):
    rows = truth["rows"]
    for column in ("incidents", "failed_deployments", "failures_recovered", "rework_deployments", "items_delivered",
                   "bugs_found_in_production"):  # fmt: skip
        assert sum(r[column] > 0 for r in rows) >= 10, column
    assert {r["bottleneck_stage"] for r in rows} - {None}
    assert sum(r["ci_hours"] > 0 for r in rows) >= 10  # CI jobs ran on the changes deployed
    assert len({r["change_failure_rate_band"] for r in rows} - {None}) >= 2


def test_slow_delivery_fails_more_often(truth):
    failed, attempts = defaultdict(int), defaultdict(int)
    for r in truth["rows"]:
        failed[r["team_key"]] += r["failed_deployments"]
        attempts[r["team_key"]] += r["failure_rate_deployments"]
    rate = {t: failed[t] / attempts[t] for t in failed}
    assert rate["ledger"] > 2 * rate["checkout"]


def test_a_cutoff_truth_counts_only_what_is_observed(tmp_path):
    out = generate(profile="tiny", seed=5, out_dir=tmp_path, cutoff_hours_before_end=62)
    truth = json.loads((out / "ground_truth.json").read_text())
    cut = parse_iso(truth["metadata"]["observed_until"])
    assert parse_iso(truth["metadata"]["window_end"]) - cut == 62 * 3600
    last = max(r["week_start"] for r in truth["rows"])
    assert last == week_start(cut - 1).isoformat()
    assert sum(r["merged_prs"] for r in truth["rows"]) == sqlite3.connect(out / "org.sqlite").execute(
        "SELECT count(*) FROM pulls WHERE merged_at IS NOT NULL").fetchone()[0]  # fmt: skip
