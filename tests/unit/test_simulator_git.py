"""The real git repositories: main's history, merge shape, trailers, numstat line counts."""

import sqlite3
import subprocess
from datetime import UTC, datetime

import pytest

from simulator import generate

TRAILER = "Co-authored-by: GitHub Copilot <copilot@github.com>"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("git"))


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


def git(repo, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def repos(db):
    return db.execute("SELECT id, full_name FROM repos ORDER BY id").fetchall()


def test_main_history_matches_sqlite(out, db):
    for rid, name in repos(db):
        repo = out / "git" / name
        shas = set(git(repo, "rev-list", "main").split())
        expected = {r[0] for r in db.execute("SELECT sha FROM commits WHERE repo_id = ? AND on_main = 1", (rid,))}
        assert shas == expected
        assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


def test_merge_commits_have_two_parents_and_github_message(out, db):
    rid, name = repos(db)[0]
    log = git(out / "git" / name, "log", "--merges", "--first-parent", "--format=%H %P|%an|%s", "main")
    lines = log.splitlines()
    merged = db.execute("SELECT count(*) FROM pulls WHERE repo_id = ? AND merged_at IS NOT NULL", (rid,)).fetchone()
    assert len(lines) == merged[0] > 50
    for line in lines:
        shas, author, subject = line.split("|")
        assert len(shas.split()) == 3
        assert subject.startswith("Merge pull request #") and " from acme/" in subject


def test_trailers_on_assisted_commits_only(out, db):
    rid, name = repos(db)[0]
    log = git(out / "git" / name, "log", "--no-merges", "--format=%H%x00%(trailers:key=Co-authored-by)%x1e", "main")
    with_trailer = {e.split("\0")[0].strip() for e in log.split("\x1e") if "GitHub Copilot" in e}
    assisted = {r[0] for r in db.execute("SELECT sha FROM commits WHERE repo_id=? AND assisted=1 AND on_main=1",
                                         (rid,))}  # fmt: skip
    assert with_trailer == assisted and len(assisted) > 10
    message = git(out / "git" / name, "log", "-1", "--format=%B", next(iter(assisted)))
    assert message.rstrip("\n").endswith("\n\n" + TRAILER)


def test_numstat_matches_line_counts(out, db):
    for rid, name in repos(db)[:2]:
        log = git(out / "git" / name, "log", "--no-merges", "--numstat", "--format=C %H", "main")
        added = deleted = 0
        for line in log.splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0] != "-":
                added, deleted = added + int(parts[0]), deleted + int(parts[1])
        expected = db.execute(
            "SELECT sum(additions), sum(deletions) FROM commits WHERE repo_id=? AND on_main=1 AND is_merge=0", (rid,)
        ).fetchone()
        assert (added, deleted) == expected


def test_author_identities_and_offsets(out, db):
    _, name = repos(db)[0]
    log = git(out / "git" / name, "log", "--no-merges", "--format=%ae %ad", "--date=iso-strict", "main")
    emails = [e for e in (line.split()[0] for line in log.splitlines()) if "[bot]@" not in e]  # people, not agents
    aliases = sum(e.endswith("@users.noreply.github.com") for e in emails)
    assert 0.03 < aliases / len(emails) < 0.2
    stamps = [datetime.fromisoformat(line.split()[1]) for line in log.splitlines()]
    assert len({s.utcoffset() for s in stamps}) >= 3
    # Some commits sit near midnight: their local date is not their UTC date.
    assert any(s.date() != s.astimezone(UTC).date() for s in stamps)


def test_unmerged_pr_commits_are_not_on_main(out, db):
    rid, name = repos(db)[0]
    sha = db.execute(
        """SELECT pc.sha FROM pull_commits pc JOIN pulls p USING (repo_id, number)
           WHERE p.repo_id = ? AND p.merged_at IS NULL LIMIT 1""",
        (rid,),
    ).fetchone()[0]
    result = subprocess.run(["git", "merge-base", "--is-ancestor", sha, "main"], cwd=out / "git" / name)
    assert result.returncode == 1


def test_history_moves_forward_in_time(db):
    at = {(r, s): a for r, s, a in db.execute("SELECT repo_id, sha, author_at FROM commits")}
    for rid, sha, parents in db.execute("SELECT repo_id, sha, parents FROM commits"):
        assert all(at[(rid, p)] <= at[(rid, sha)] for p in parents.split())
