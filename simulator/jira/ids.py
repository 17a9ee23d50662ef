"""Deterministic Jira account ids and the Cloud e-mail privacy rule."""

import hashlib


def account_id(person_id: int) -> str:
    """A 24-hex-digit Atlassian account id, stable per person (Cloud ids look like 5b10a2844c20165700ede21a)."""
    return hashlib.sha1(f"jira-account:{person_id}".encode()).hexdigest()[:24]  # noqa: S324 - an id, not security


def hides_email(person_id: int) -> bool:
    """~30% of users hide their e-mail (Cloud profile privacy), so only the account id identifies them."""
    return int(account_id(person_id), 16) % 10 < 3
