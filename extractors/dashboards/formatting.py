"""How the report writes a number: one place, so the page and its tests agree on every figure's words."""

from __future__ import annotations

import datetime as dt
import math

DASH = "–"  # a missing value


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def change(value: float | None) -> str:
    """A relative change as a signed whole percentage: +12%, -3%."""
    return DASH if missing(value) else f"{value:+.0%}"


def share(value: float | None) -> str:
    return DASH if missing(value) else f"{value:.0%}"


def count(value: int | float | None) -> str:
    return DASH if missing(value) else f"{int(value):,}"


def day(value: dt.date | dt.datetime | None) -> str:
    if missing(value):
        return DASH
    return value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value)[:10]


def moment(value: dt.datetime | None) -> str:
    """A timestamp in UTC to the minute."""
    if missing(value):
        return DASH
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")
