"""The checks one event field gets, each with the words an error uses: `got <value>, expected <what>`.

A check takes the value exactly as it came out of the JSON (so a number where text belongs is an error,
never silently turned into text) and raises ValueError with the whole message; the field's `expected`
text also says what a missing required field should have been.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

TIME_EXAMPLE = "2026-01-05T14:03:00Z"
TIME_EXPECTED = f"an RFC 3339 time with offset like {TIME_EXAMPLE}"
# RFC 3339 date-time (upper-case T; Z or a numeric offset): the same pattern as the JSON Schema files
TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"
SHA_PATTERN = r"^[0-9a-fA-F]{7,40}$"
REPOSITORY_PATTERN = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"
URL_PATTERN = r"^https?://\S+$"
MAX_TEXT = 500  # ids, names and titles: long enough for any tool, short enough to stay a label

_TIME = re.compile(TIME_PATTERN)


def got(value: Any) -> str:
    """How a found value is quoted in a message: text as written, other JSON values with their type."""
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    return f"{_json_type(value)} {value!r}"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array"}.get(type(value), type(value).__name__)


def parse_time(value: str) -> dt.datetime | None:
    """The moment an RFC 3339 text names, or None when it is not one (wrong shape or no such date)."""
    if not _TIME.match(value):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # shaped right but not a calendar time: 2026-13-01, 2026-02-30, 25:00
        return None


def _checked(expected: str, accepts: Callable[[str], bool]) -> Any:
    """A text field that `accepts` decides on; anything else (not text, or text it refuses) is one message."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not accepts(value):
            raise ValueError(f"got {got(value)}, expected {expected}")
        return value

    return Annotated[str, BeforeValidator(check), Field(description=expected)]


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda value: bool(compiled.match(value))


def _text(value: str) -> bool:
    return bool(value.strip()) and len(value) <= MAX_TEXT


def literal(expected_value: str) -> Any:
    return _checked(expected_value, lambda value: value == expected_value)


def one_of(*choices: str) -> Any:
    return _checked(f"one of {', '.join(choices)}", lambda value: value in choices)


Text = _checked(f"a non-empty string of at most {MAX_TEXT} characters", _text)
Repository = _checked("a repository as owner/name, like acme/checkout", _matches(REPOSITORY_PATTERN))
Sha = _checked("a commit sha: 7 to 40 hex digits", _matches(SHA_PATTERN))
Time = _checked(TIME_EXPECTED, lambda value: parse_time(value) is not None)
Url = _checked("an http(s) URL", _matches(URL_PATTERN))
