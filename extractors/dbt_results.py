"""What dbt's artifacts say, for the people running the pipeline: each raw stream's freshness (sources.json of
`dbt source freshness`) and each mart's build status (run_results.json of `dbt build`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StreamFreshness:
    stream: str  # the raw table, e.g. github__pull_requests
    status: str  # pass, warn, error, or runtime error (dbt could not check it)
    max_loaded_at: str | None  # when the pipeline last loaded it (ISO, UTC)
    age_hours: float | None
    detail: str | None = None  # dbt's error message when it could not check

    @property
    def stale(self) -> bool:
        return self.status != "pass"


def read_freshness(sources_json: Path) -> list[StreamFreshness]:
    results = json.loads(sources_json.read_text(encoding="utf-8"))["results"]
    streams = []
    for result in results:
        age = result.get("max_loaded_at_time_ago_in_s")
        streams.append(
            StreamFreshness(
                stream=result["unique_id"].rsplit(".", 1)[-1],
                status=result["status"],
                max_loaded_at=result.get("max_loaded_at"),
                age_hours=None if age is None else round(age / 3600, 1),
                detail=result.get("error"),
            )
        )
    return sorted(streams, key=lambda s: s.stream)


_WORST_FIRST = {"runtime error": 0, "error": 1, "warn": 2, "pass": 3}


def freshness_summary(streams: list[StreamFreshness]) -> str:
    """One line per stream, the stale ones first: what a task log shows without opening dbt's."""
    if not streams:
        return "Freshness: no raw stream has been loaded yet"
    counts = {status: sum(s.status == status for s in streams) for status in dict.fromkeys(s.status for s in streams)}
    lines = ["Freshness: " + ", ".join(f"{n} {status}" for status, n in counts.items())]
    for stream in sorted(streams, key=lambda s: (_WORST_FIRST.get(s.status, 0), s.stream)):
        loaded = (
            f"last loaded {stream.max_loaded_at} ({stream.age_hours} h ago)" if stream.age_hours is not None else ""
        )
        lines.append(f"  {stream.status.upper():<6} {stream.stream:<32} {loaded or stream.detail or ''}".rstrip())
    return "\n".join(lines)


_SKIPPED = "not built: a model or test it depends on failed (see the dbt_build task)"


def mart_statuses(run_results_json: Path, marts: list[str]) -> dict[str, dict[str, Any]]:
    """Each named mart's outcome in the last `dbt build`: status (success, error, skipped), seconds, dbt's
    message on failure, and the build's invocation id and time. A mart the build did not run is absent.
    (dbt-duckdb reports no row counts; mart_rows reads them from the published snapshot.)"""
    document = json.loads(run_results_json.read_text(encoding="utf-8"))
    metadata = document["metadata"]
    wanted = set(marts)
    statuses = {}
    for result in document["results"]:
        kind, name = result["unique_id"].split(".")[0], result["unique_id"].split(".")[-1]
        if kind != "model" or name not in wanted:
            continue
        statuses[name] = {
            "status": result["status"],
            "execution_time": round(result.get("execution_time") or 0.0, 3),
            "message": {"success": None, "skipped": _SKIPPED}.get(result["status"], result.get("message")),
            "dbt_invocation_id": metadata.get("invocation_id"),
            "built_at": metadata.get("generated_at"),
        }
    return statuses


def mart_rows(published: Path, marts: list[str]) -> dict[str, int]:
    """Rows of each mart in the published snapshot (read-only; the live warehouse stays the writer's)."""
    from extractors.core.warehouse import connect

    with connect(published, read_only=True) as conn:
        present = {row[0] for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()}  # fmt: skip
        return {
            name: conn.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for name in marts
            if name in present
        }
