"""Stream a local repository's history into landing files.

Incremental by reachability: the cursor is the set of tip shas seen last run, and the next run lists
`git log <tips now> --not <tips then>`, so rewritten or merged history is never missed and nothing is
read twice. Tips are taken as of the window end, keeping Airflow's half-open intervals.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from extractors.core.errors import ExtractError
from extractors.core.source_kind import Stream
from extractors.core.streams import RunContext, iso_z
from extractors.git.log_parser import LOG_FORMAT, parse_record, split_records

COMMITS = Stream("commits", primary_key="sha", incremental="reachability")


def _git(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=False)


def _tips(path: Path, refs: tuple[str, ...], before: str) -> list[str]:
    tips = []
    for ref in refs:
        result = _git(path, "rev-list", "-1", f"--before={before}", ref, "--")
        if result.returncode != 0:
            raise ExtractError(f"git repository {path}: cannot resolve ref {ref!r}: {result.stderr.strip()}")
        tips.extend(result.stdout.split())
    return sorted(set(tips))


def _existing(path: Path, shas: list[str]) -> list[str]:
    """Old tips that still exist (a force-push or gc can remove them)."""
    return [sha for sha in shas if _git(path, "cat-file", "-e", f"{sha}^{{commit}}").returncode == 0]


def extract_git_repository(ctx: RunContext, path: str, repository: str, refs: tuple[str, ...]) -> int:
    repo_path = Path(path).expanduser()
    if not repo_path.exists() or _git(repo_path, "rev-parse", "--git-dir").returncode != 0:
        raise ExtractError(f"{path} (repository {repository}) is not a git repository")
    tips = _tips(repo_path, refs, iso_z(ctx.window_end))
    previous = ctx.cursors.get(ctx.source, COMMITS.name, repository) or {}
    seen = _existing(repo_path, previous.get("tips", []))
    with ctx.writer(COMMITS.name, repository) as writer:
        if tips:
            args = ["log", "--numstat", "--no-renames", f"--format={LOG_FORMAT}", *tips]
            if seen:
                args += ["--not", *seen]
            command = ["git", "-C", str(repo_path), *args, "--"]
            with subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace"
            ) as process:
                chunks = iter(lambda: process.stdout.read(1 << 16), "")
                for record in split_records(chunks):
                    try:
                        commit = parse_record(record, repository)
                    except ValueError as exc:
                        writer.quarantine(f"unparsable git log record: {exc}", record)
                        continue
                    writer.write(commit[COMMITS.primary_key], commit)
                stderr = process.stderr.read()
            if process.returncode != 0:
                raise ExtractError(f"git log in {path} failed ({process.returncode}): {stderr.strip()[:300]}")
        writer.commit(cursor={"tips": tips})
        return writer.records
