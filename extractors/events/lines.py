"""Check a JSON Lines file of events: each line becomes an event to land, or the reasons it cannot be used.

A line's type is its `schema` field (delivery.deployment/v1, delivery.incident/v1), so one file may hold
both types. Every reason names the file, the line and the field: `deploys.jsonl line 3, field started_at:
got '2026-13-01', expected an RFC 3339 time with offset like 2026-01-05T14:03:00Z`. Blank lines are skipped.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from extractors.events.fields import got
from extractors.events.models import MODELS, Event, cross_checks, field_names

SCHEMAS_EXPECTED = " or ".join(MODELS)


@dataclass(frozen=True)
class CheckedLine:
    file: str
    line: int
    raw: str
    event: dict[str, Any] | None  # the JSON object as written, when every check passed
    schema: str | None  # the event type's schema name, when the line named a known one
    problems: list[str] = field(default_factory=list)


def check_file(file: str, data: bytes, only_schema: str | None = None) -> list[CheckedLine]:
    """Every non-blank line of `data`, checked; `only_schema` refuses lines of another event type (a push
    of `--kind deployment` holds deployments only)."""
    checked = []
    for number, raw_bytes in enumerate(data.split(b"\n"), start=1):
        if number == 1:
            raw_bytes = raw_bytes.removeprefix(b"\xef\xbb\xbf")  # a byte order mark is not part of the line
        try:
            raw = raw_bytes.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            text = raw_bytes.decode("utf-8", errors="replace").rstrip("\r")
            reason = f"{file} line {number}: not UTF-8 text (byte {raw_bytes[exc.start]:#x} at column {exc.start + 1})"
            checked.append(CheckedLine(file, number, text, None, None, [reason]))
            continue
        if raw.strip():
            checked.append(check_line(file, number, raw, only_schema))
    return checked


def check_line(file: str, number: int, raw: str, only_schema: str | None = None) -> CheckedLine:
    where = f"{file} line {number}"
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        reason = f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); expected one JSON object per line"
        return CheckedLine(file, number, raw, None, None, [reason])
    if not isinstance(value, dict):
        reason = f"{where}: got {got(value)}, expected a JSON object (one event per line)"
        return CheckedLine(file, number, raw, None, None, [reason])
    schema = value.get("schema")
    expected = only_schema or SCHEMAS_EXPECTED
    if schema not in MODELS or (only_schema and schema != only_schema):
        found = "nothing" if "schema" not in value else got(schema)
        if schema in MODELS:
            hint = f" (a pushed file holds one event type: push {schema} events in their own file)"
        else:
            hint = _closest(schema, list(MODELS)) if isinstance(schema, str) else ""
        return CheckedLine(
            file, number, raw, None, None, [f"{where}, field schema: got {found}, expected {expected}{hint}"]
        )
    problems = _model_problems(where, MODELS[schema], value)
    if not problems:
        problems = [f"{where}, field {name}: {message}" for name, message in cross_checks(value)]
    return CheckedLine(file, number, raw, None if problems else value, schema, problems)


def _model_problems(where: str, model: type[Event], value: dict[str, Any]) -> list[str]:
    try:
        model.model_validate(value)
    except ValidationError as error:
        return [_message(where, model, item) for item in error.errors(include_url=False)]
    return []


def _message(where: str, model: type[Event], item: dict[str, Any]) -> str:
    name = ".".join(str(part) for part in item["loc"])
    if item["type"] == "extra_forbidden":
        known = field_names(model)
        return (f"{where}, field {name}: unknown field{_closest(name, known)}; expected only the fields of "
                f"{value_schema(model)}: {', '.join(known)}")  # fmt: skip
    if item["type"] == "missing":
        info = next(f for n, f in model.model_fields.items() if (f.alias or n) == name)
        return f"{where}, field {name}: missing, expected {info.description} (the field is required)"
    message = item["msg"].removeprefix("Value error, ")
    return f"{where}, field {name}: {message}"


def value_schema(model: type[Event]) -> str:
    return next(schema for schema, candidate in MODELS.items() if candidate is model)


def _closest(value: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(value, choices, n=1)
    return f" (closest: {match[0]})" if match else ""
