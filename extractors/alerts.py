"""Deliver each row of marts.alerts once: read the published snapshot, skip the ids already sent, post the
rest to a webhook, then remember them (METRICS.md "Alerts").

The ledger of sent ids is a JSON file in the state folder, written atomically after a successful post, so
a failed post is retried by the next run and a re-run of the same week sends nothing. A kill between the
post and the write sends those alerts again (at least once, never lost).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from extractors.core.files import write_json_atomic
from extractors.core.warehouse import connect

_COLUMNS = ("alert_id", "team_key", "metric", "week_start", "value", "baseline", "change", "severity", "message")


@dataclass(frozen=True)
class Alert:
    alert_id: str
    team_key: str
    metric: str
    week_start: dt.date
    value: float
    baseline: float
    change: float
    severity: str
    message: str

    def as_json(self) -> dict:
        return {**asdict(self), "week_start": self.week_start.isoformat()}


class AlertDeliveryError(RuntimeError):
    """The webhook refused or could not be reached; the alerts stay pending for the next run."""


def pending_alerts(published: Path, ledger: Path) -> list[Alert]:
    sent = sent_ids(ledger)
    with connect(published, read_only=True) as conn:
        rows = conn.execute(f"select {', '.join(_COLUMNS)} from marts.alerts order by alert_id").fetchall()
    return [alert for alert in (Alert(*row) for row in rows) if alert.alert_id not in sent]


def sent_ids(ledger: Path) -> set[str]:
    if not ledger.exists():
        return set()
    try:
        return set(json.loads(ledger.read_text())["sent"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AlertDeliveryError(f"the sent-alerts ledger {ledger} is unreadable ({exc}); fix or remove it") from exc


def record_sent(ledger: Path, alerts: list[Alert]) -> None:
    if alerts:
        ledger.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(ledger, {"sent": sorted(sent_ids(ledger) | {a.alert_id for a in alerts})})


def post_alerts(url: str, alerts: list[Alert], timeout: float = 30.0) -> None:
    """One POST with every alert; the URL is never in a message (webhook URLs often carry a secret)."""
    try:
        response = requests.post(url, json={"alerts": [a.as_json() for a in alerts]}, timeout=timeout)
    except requests.RequestException as exc:
        raise AlertDeliveryError(f"the alert webhook could not be reached ({type(exc).__name__})") from None
    if response.status_code >= 300:
        raise AlertDeliveryError(f"the alert webhook answered {response.status_code} {response.reason}")
