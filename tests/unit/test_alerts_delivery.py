"""marts.alerts is delivered once per alert id over real loopback HTTP; a refused post keeps them pending."""

from __future__ import annotations

import duckdb
import pytest
from airflow.sdk import Connection

from dags.alert_notifier import webhook_url
from extractors.alerts import AlertDeliveryError, pending_alerts, post_alerts, record_sent
from tests.webhook_receiver import WebhookReceiver


def snapshot(tmp_path, *ids: str):
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.alerts (alert_id varchar, team_key varchar, metric varchar, week_start "
            "date, value double, baseline double, change double, severity varchar, message varchar)"
        )
        for alert_id in ids:
            team, metric, week = alert_id.split(":")
            conn.execute(
                "insert into marts.alerts values (?, ?, ?, ?, 15, 10, 0.5, 'warning', ?)",
                [alert_id, team, metric, week, f"{team}: {metric} rose 50%"],
            )
    return path


def deliver(published, ledger, url):
    alerts = pending_alerts(published, ledger)
    if alerts:
        post_alerts(url, alerts)
        record_sent(ledger, alerts)
    return [a.alert_id for a in alerts]


def test_each_alert_is_sent_once_and_a_new_week_only_sends_the_new_one(tmp_path):
    ledger = tmp_path / "state" / "alerts_sent.json"
    first = ["a:lead_time_p50_hours:2026-01-26", "b:deployments:2026-01-26"]
    with WebhookReceiver() as hook:
        assert deliver(snapshot(tmp_path, *first), ledger, hook.url) == first
        assert deliver(snapshot(tmp_path, *first), ledger, hook.url) == []  # a re-run of the same week
        later = snapshot(tmp_path, *first, "a:lead_time_p50_hours:2026-02-02")
        assert deliver(later, ledger, hook.url) == ["a:lead_time_p50_hours:2026-02-02"]
    assert hook.alert_ids == [*first, "a:lead_time_p50_hours:2026-02-02"]
    assert hook.bodies[0]["alerts"][0] == {
        "alert_id": first[0], "team_key": "a", "metric": "lead_time_p50_hours", "week_start": "2026-01-26",
        "value": 15.0, "baseline": 10.0, "change": 0.5, "severity": "warning",
        "message": "a: lead_time_p50_hours rose 50%",
    }  # fmt: skip


@pytest.mark.parametrize("status", [500, 404])
def test_a_refused_post_is_an_error_without_the_url_and_the_alerts_stay_pending(tmp_path, status):
    ledger = tmp_path / "alerts_sent.json"
    published = snapshot(tmp_path, "a:deployments:2026-01-26")
    with WebhookReceiver(path="/secret-token-path") as hook:
        hook.status = status
        url = hook.url if status == 500 else hook.url.replace("/secret-token-path", "/wrong")
        with pytest.raises(AlertDeliveryError, match=f"the alert webhook answered {status}") as caught:
            deliver(published, ledger, url)
    assert "secret-token-path" not in str(caught.value) and "127.0.0.1" not in str(caught.value)
    assert not ledger.exists()
    assert [a.alert_id for a in pending_alerts(published, ledger)] == ["a:deployments:2026-01-26"]


def test_an_unreachable_webhook_is_an_error_naming_no_url(tmp_path):
    with WebhookReceiver() as hook:
        url = hook.url
    with pytest.raises(AlertDeliveryError, match=r"could not be reached \(ConnectionError\)"):
        deliver(snapshot(tmp_path, "a:deployments:2026-01-26"), tmp_path / "ledger.json", url)


def test_an_unreadable_ledger_is_a_clear_error(tmp_path):
    ledger = tmp_path / "alerts_sent.json"
    ledger.write_text("{not json")
    with pytest.raises(AlertDeliveryError, match="sent-alerts ledger .* is unreadable"):
        pending_alerts(snapshot(tmp_path, "a:deployments:2026-01-26"), ledger)


@pytest.mark.parametrize(
    ("connection", "url"),
    [
        (Connection(conn_id="x", conn_type="http", host="127.0.0.1", port=8080, schema="hooks/delivery"),
         "http://127.0.0.1:8080/hooks/delivery"),
        (Connection(conn_id="x", conn_type="https", host="hooks.example.com", schema="/services/T0/B0"),
         "https://hooks.example.com/services/T0/B0"),
        (Connection(conn_id="x", conn_type="generic", host="hooks.example.com"), "https://hooks.example.com"),
    ],
)  # fmt: skip
def test_the_webhook_url_comes_from_the_connection(connection, url):
    assert webhook_url(connection) == url
