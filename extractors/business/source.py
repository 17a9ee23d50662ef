"""Land one scope's business files: every valid row of every file, as one snapshot of the scope.

Files are not time-windowed: a scope is re-landed whole when its snapshot changes (a file's bytes, the set
of files, or what rows are checked against: the scope's measures, the config's teams, the currency), and
not at all otherwise. Every row carries the snapshot's hash, and the `snapshots` stream records the latest
one per scope, so the canonical layer keeps only rows of each scope's latest snapshot: a row deleted from
a file disappears, and landing the same snapshot twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from extractors.business import csv_file, rows
from extractors.business.settings import BusinessScope, BusinessSettings
from extractors.core.errors import ExtractError
from extractors.core.source_kind import Stream
from extractors.core.streams import RunContext

MEASURES = Stream("monthly_measures", primary_key="month|team|measure", incremental="snapshot")
SNAPSHOTS = Stream("snapshots", primary_key="scope", incremental="snapshot")
FORMAT_VERSION = 1  # bump when the checks change, so every scope re-lands under the new rules


def csv_paths(scope: BusinessScope) -> list[Path]:
    """The scope's files: each configured file, and the *.csv files of each configured folder, sorted."""
    found: list[Path] = []
    for configured in scope.paths:
        path = Path(configured).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.glob("*.csv") if p.is_file())
            if not files:
                raise ExtractError(f"{path}: folder holds no .csv files (scope {scope.name})")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise ExtractError(f"{path}: no such file or folder (scope {scope.name})")
    unique = {str(p.resolve()): p for p in found}  # a file named twice (itself and its folder) is read once
    return list(unique.values())


def snapshot_hash(contents: list[tuple[Path, bytes]], rules: rows.RowRules) -> str:
    digest = hashlib.sha256()
    context = {"format": FORMAT_VERSION, "measures": rules.measures, "teams": sorted(rules.team_keys),
               "currency": rules.currency}  # fmt: skip
    digest.update(json.dumps(context, sort_keys=True).encode())
    for path, data in contents:
        digest.update(f"\0{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def extract_business_scope(ctx: RunContext, settings: BusinessSettings, scope: BusinessScope) -> dict[str, int]:
    rules = rows.RowRules(scope.measures, ctx.team_keys, settings.currency)
    contents = [(path, _read(path)) for path in csv_paths(scope)]
    snapshot = snapshot_hash(contents, rules)
    if ctx.cursors.get(ctx.source, SNAPSHOTS.name, scope.name) == snapshot:
        return {MEASURES.name: 0, SNAPSHOTS.name: 0}
    files = [csv_file.parse(str(path), data) for path, data in contents]  # a bad header fails before any landing
    checked = _checked_rows(files, rules)
    summaries = {f.file: {"path": f.file, "sha256": hashlib.sha256(d).hexdigest(), "rows": 0, "quarantined": 0}
                 for f, (_, d) in zip(files, contents, strict=True)}  # fmt: skip
    with ctx.writer(MEASURES.name, scope.name) as writer:
        for line, record, reasons in checked:
            summary = summaries[line.file]
            if record is None:
                writer.quarantine("; ".join(reasons), line.raw)
                summary["quarantined"] += 1
                continue
            writer.write(_record_id(record), {**record, "snapshot": snapshot})
            summary["rows"] += 1
        writer.commit()
        landed = writer.records
    with ctx.writer(SNAPSHOTS.name, scope.name) as writer:
        totals = {k: sum(s[k] for s in summaries.values()) for k in ("rows", "quarantined")}
        writer.write(scope.name, {"scope": scope.name, "snapshot": snapshot, **totals,
                                  "files": list(summaries.values())})  # fmt: skip
        writer.commit(cursor=snapshot)  # written last: the cursor moves only with the rows' file before it
    return {MEASURES.name: landed, SNAPSHOTS.name: 1}


def _checked_rows(files: list[csv_file.CsvFile], rules: rows.RowRules) -> list[tuple]:
    """(line, record or None, reasons) for every data line of the scope, in file order. A month/team/measure
    given twice is quarantined every time it appears: choosing one of two numbers would be a silent guess."""
    checked = [(line, *rows.check(f, line, rules)) for f in files for line in f.lines]
    seen: dict[str, list[csv_file.CsvLine]] = {}
    for line, record, _ in checked:
        if record is not None:
            seen.setdefault(_record_id(record), []).append(line)
    out = []
    for line, record, reasons in checked:
        others = [o for o in seen.get(_record_id(record), []) if o is not line] if record is not None else []
        if others:
            where = ", ".join(f"{o.file} line {o.line}" for o in others)
            reasons = [
                f"{line.file} line {line.line}: month {record['month']}, team {record['team']}, measure "
                f"{record['measure']} is also at {where}; expected each month/team/measure once (every copy "
                "is quarantined)"
            ]
            record = None
        out.append((line, record, reasons))
    return out


def _record_id(record: dict) -> str:
    return f"{record['month']}|{record['team']}|{record['measure']}"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot be read: {exc.strerror or exc}") from None
