"""Read one business CSV file: its header decides the columns, every later line is one row.

A file whose meaning cannot be known (not UTF-8, no header, a column unknown, missing or named twice) is
an error for the whole file, naming the file, line and column: nothing of the scope lands until it is
fixed. A line that has the wrong number of fields is a row problem (quarantined by the caller).
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.core.errors import ExtractError

REQUIRED_COLUMNS = ("month", "team", "measure", "value", "currency")
OPTIONAL_COLUMNS = ("responses",)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
EXPECTED_HEADER = f"{','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}]"


@dataclass(frozen=True)
class CsvLine:
    """One data line: where it is, its text as written, and its cells by column name (None: wrong width)."""

    file: str
    line: int
    raw: str
    cells: dict[str, str] | None
    width: int


@dataclass(frozen=True)
class CsvFile:
    file: str
    columns: dict[str, int]  # column name -> 1-based position
    lines: list[CsvLine]


def decode(file: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte order mark (Excel's UTF-8 export) is not part of the header
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractError(
            f"{file} line {line}: not UTF-8 text (byte {data[exc.start]:#x} at offset {exc.start}); "
            "expected a UTF-8 CSV file"
        ) from None


def parse(file: str, data: bytes) -> CsvFile:
    lines = decode(file, data).splitlines(keepends=True)
    if not any(line.strip() for line in lines):
        raise ExtractError(f"{file}: empty file, expected a header line {EXPECTED_HEADER}")
    records = _records(lines)
    _, _, header = next(records)  # line 1 is the header
    columns = _columns(file, header)
    out = []
    for line, raw, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (often the last one) is no row
        named = None
        if len(cells) == len(header):
            named = {name: cells[position - 1].strip() for name, position in columns.items()}
        out.append(CsvLine(file, line, raw.rstrip("\r\n"), named, len(cells)))
    return CsvFile(file, columns, out)


def _records(lines: list[str]) -> Iterator[tuple[int, str, list[str]]]:
    """(first line number, text, cells) per CSV record; a quoted field may span lines."""
    reader = csv.reader(iter(lines), strict=False)
    consumed = 0
    for cells in reader:
        start = consumed + 1
        consumed = reader.line_num
        yield start, "".join(lines[start - 1 : consumed]), cells


def _columns(file: str, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        name = cell.strip().lower()
        if name not in COLUMNS:
            closest = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f" (closest: {closest[0]})" if closest else ""
            raise ExtractError(
                f"{file} line 1, column {position}: unknown column {cell!r}{hint}; expected the header "
                f"{EXPECTED_HEADER}, separated by commas"
            )
        if name in columns:
            raise ExtractError(
                f"{file} line 1, column {position}: column {name!r} appears twice (also column {columns[name]}); "
                "expected each column once"
            )
        columns[name] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ExtractError(
            f"{file} line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"expected the header {EXPECTED_HEADER}"
        )
    return columns
