"""The local git extractor on a real repository: streamed history, numstat, trailers, incremental runs."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
from pathlib import Path

from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.git.source import extract_git_repository

END = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def git(repo: Path, *args: str, date: str = "2026-01-05T23:30:00+05:30") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Ada",
           "GIT_AUTHOR_EMAIL": "ada@acme.test", "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@acme.test"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.py").write_text("one\ntwo\n")
    (repo / "logo.bin").write_bytes(bytes(range(256)))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first\n\nbody line\n\nCo-authored-by: GitHub Copilot <copilot@github.com>")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "b.py").write_text("x\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "feature work", date="2026-01-06T10:00:00-08:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #1", date="2026-01-07T09:00:00Z")
    return repo


def records(landing: Path) -> list[dict]:
    out = []
    for path in sorted(landing.rglob("*.jsonl.gz")):
        with gzip.open(path) as handle:
            out += [json.loads(line) for line in handle]
    return out


def context(tmp_path: Path, run_id: str) -> RunContext:
    return RunContext(source="local_git", kind="git", run_id=run_id, window_end=END,
                      landing_dir=tmp_path / "landing", cursors=CursorStore(tmp_path / "state"))


def test_full_history_with_numstat_trailers_and_offsets(tmp_path):
    repo = make_repo(tmp_path)
    assert extract_git_repository(context(tmp_path, "r1"), str(repo), "acme/api", ("main",)) == 3
    by_message = {r["payload"]["message"].splitlines()[0]: r["payload"] for r in records(tmp_path / "landing")}
    first = by_message["first"]
    assert first["author"]["date"] == "2026-01-05T23:30:00+05:30"
    assert first["trailers"] == [{"key": "Co-authored-by", "value": "GitHub Copilot <copilot@github.com>"}]
    assert {f["path"]: f["additions"] for f in first["files"]} == {"a.py": 2, "logo.bin": None}
    assert (first["additions"], first["deletions"]) == (2, 0)
    merge = by_message["Merge pull request #1"]
    assert len(merge["parents"]) == 2 and merge["files"] == []
    assert by_message["feature work"]["repository"] == "acme/api"


def test_incremental_run_reads_only_new_reachable_commits(tmp_path):
    repo = make_repo(tmp_path)
    ctx = context(tmp_path, "r1")
    extract_git_repository(ctx, str(repo), "acme/api", ("main",))
    # the loader advances cursors after commit; emulate that step from the manifest
    manifest = json.loads(next((tmp_path / "landing").rglob("r1.manifest.json")).read_text())
    ctx.cursors.set("local_git", "commits", "acme/api", manifest["cursor"])
    (repo / "a.py").write_text("one\ntwo\nthree\n")
    git(repo, "commit", "-qam", "later", date="2026-01-08T12:00:00Z")
    assert extract_git_repository(context(tmp_path, "r2"), str(repo), "acme/api", ("main",)) == 1
    # commits after the window end are left for the next window
    early = RunContext(source="x", kind="git", run_id="r3", window_end=dt.datetime(2026, 1, 7, 12, tzinfo=dt.UTC),
                       landing_dir=tmp_path / "l3", cursors=CursorStore(tmp_path / "s3"))
    assert extract_git_repository(early, str(repo), "acme/api", ("main",)) == 3


def test_not_a_repository_is_a_clear_error(tmp_path):
    import pytest

    from extractors.core.errors import ExtractError

    with pytest.raises(ExtractError, match="is not a git repository"):
        extract_git_repository(context(tmp_path, "r1"), str(tmp_path), "acme/api", ("main",))
