"""Check one CSV row of a business file: a record to land, or every reason it cannot be used.

Each reason names the file, line, column number and name, the value found and what was expected, so the
quarantine table alone says what to fix. A row is all or nothing: a bad month, team, measure, value,
currency or response count quarantines the row (the rest of the file still lands).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from extractors.business.csv_file import CsvFile, CsvLine
from extractors.business.measures import MEASURE_NAMES, MEASURES

ORG = "*"  # the team column's value for an amount of the whole org that is not split to a team
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_COUNT = re.compile(r"^\d+$")


@dataclass(frozen=True)
class RowRules:
    """What a row is checked against: the scope's measures, the config's teams, the source's currency."""

    measures: tuple[str, ...]
    team_keys: tuple[str, ...]
    currency: str


def check(file: CsvFile, row: CsvLine, rules: RowRules) -> tuple[dict[str, object] | None, list[str]]:
    """(record, []) for a usable row, else (None, reasons)."""
    if row.cells is None:
        width = len(file.columns)
        return None, [f"{row.file} line {row.line}: got {row.width} fields, expected {width} as in the header"]
    cells = row.cells
    problems: list[str] = []

    def bad(column: str, expected: str) -> None:
        found = cells.get(column, "")
        problems.append(
            f"{row.file} line {row.line}, column {file.columns.get(column, '-')} ({column}): "
            f"got {found!r}, expected {expected}"
        )

    if not _MONTH.match(cells["month"]):
        bad("month", "a month like 2026-01 (YYYY-MM)")
    team = cells["team"]
    if team != ORG and team not in rules.team_keys:
        bad("team", f"a team key of the config's `teams:` or {ORG} for the whole org{_closest(team, rules.team_keys)}")
    measure = MEASURES.get(cells["measure"])
    if measure is None:
        bad("measure", f"one of {', '.join(MEASURE_NAMES)}{_closest(cells['measure'], MEASURE_NAMES)}")
    elif measure.name not in rules.measures:
        bad("measure", f"a measure of this scope: {', '.join(rules.measures)}")
    value = cells["value"]
    if not _NUMBER.match(value):
        bad("value", "a number like 1234.50 (a dot for decimals, no thousands separators)")
    elif measure is not None and not _within(float(value), measure.minimum, measure.maximum):
        bad("value", f"{measure.bounds_text()} for {measure.name}")
    currency = cells["currency"]
    if measure is not None and measure.is_money and currency != rules.currency:
        bad("currency", f"{rules.currency} (the source's currency; money values are not converted)")
    elif measure is not None and not measure.is_money and currency:
        bad("currency", f"nothing: {measure.name} is not money")
    responses = cells.get("responses", "")
    if measure is not None and measure.is_survey and not (_COUNT.match(responses) and int(responses) > 0):
        bad("responses", f"the number of survey responses (an integer >= 1) for {measure.name}")
    elif measure is not None and not measure.is_survey and responses:
        bad("responses", f"nothing: only survey measures ({_surveys()}) have responses")
    if problems:
        return None, problems
    record = {
        "month": cells["month"],
        "team": team,
        "measure": cells["measure"],
        "value": value,
        "currency": currency or None,
        "responses": responses or None,
        "file": row.file,
        "line": row.line,
    }
    return record, []


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _closest(value: str, choices: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(value, choices, n=1)
    return f" (closest: {match[0]})" if match else ""


def _surveys() -> str:
    return ", ".join(name for name, m in MEASURES.items() if m.is_survey)
