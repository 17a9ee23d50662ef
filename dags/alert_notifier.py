"""An Airflow notifier that posts delivery-regression alerts to a webhook named by an Airflow Connection.

The connection holds the URL (`http://host:port/path`, or https), e.g.
`AIRFLOW_CONN_DELIVERY_ALERTS_WEBHOOK=https://hooks.example.com/services/T000/B000/XXX`; its path is the
connection's schema. The URL is never logged.
"""

from __future__ import annotations

from airflow.sdk import Connection
from airflow.sdk.bases.notifier import BaseNotifier

ALERTS_CONN_ID = "delivery_alerts_webhook"


def webhook_url(connection) -> str:
    scheme = connection.conn_type if connection.conn_type in ("http", "https") else "https"
    port = f":{connection.port}" if connection.port else ""
    path = f"/{connection.schema.lstrip('/')}" if connection.schema else ""
    return f"{scheme}://{connection.host}{port}{path}"


class AlertWebhookNotifier(BaseNotifier):
    """Posts the given alerts (extractors.alerts.Alert) in one JSON body: {"alerts": [...]}."""

    def __init__(self, alerts: list, conn_id: str = ALERTS_CONN_ID) -> None:
        super().__init__()
        self.alerts = alerts
        self.conn_id = conn_id

    def notify(self, context) -> None:
        from extractors.alerts import post_alerts

        post_alerts(webhook_url(Connection.get(self.conn_id)), self.alerts)
