"""Write a repository's commits with `git fast-import` (one streamed pass) and read back the shas."""

import subprocess
from pathlib import Path

from simulator.plan import CommitPlan, RepoPlan
from simulator.timeline import GITHUB_COMMITTER
from simulator.timeutil import git_tz

WORK_REF = "refs/sim/work"  # scratch ref for PR branches; deleted afterwards so only main remains


class FastImportStream:
    """Builds the fast-import byte stream and remembers file contents so numstat is exact.

    Line counts are exact because every generated line is unique: an edit removes the last d lines
    of a file and appends a new ones, which `git diff` reports as exactly -d / +a.
    """

    def __init__(self, out):
        self.out = out
        self.next_mark = 0
        self.files: dict[str, list[str]] = {}  # path -> current lines on its PR branch
        self.pr_blobs: dict[int, dict[str, int]] = {}  # PR number -> path -> latest blob mark

    def _data(self, payload: bytes) -> None:
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def _blob(self, payload: bytes, mark: int) -> None:
        self.out.write(b"blob\nmark :%d\n" % mark)
        self._data(payload)

    def _blobs_for(self, commit: CommitPlan) -> list[tuple[str, int]]:
        written = []
        for n, op in enumerate(commit.ops):
            blob_mark = commit.mark * 8 + n + 1 + 10**9  # blob marks live far above commit marks
            if op.kind == "binary":
                payload = bytes(range(256))[: op.added] + b"\x00PNG"
            else:
                lines = [] if op.kind == "new" else self.files.get(op.path, [])
                if op.deleted:
                    lines = lines[: len(lines) - op.deleted]
                lines = lines + [f"# {op.path} c{commit.mark} l{i}\n" for i in range(op.added)]
                self.files[op.path] = lines
                payload = "".join(lines).encode()
            self._blob(payload, blob_mark)
            written.append((op.path, blob_mark))
        return written

    def commit(self, c: CommitPlan, ref: str) -> None:
        changes = self._blobs_for(c) if not c.is_merge else []
        if c.pr_number is not None and not c.is_merge:
            self.pr_blobs.setdefault(c.pr_number, {}).update(changes)
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), c.mark))
        tz = git_tz(c.author.tz_offset)
        self.out.write(f"author {c.author.name} <{c.email}> {c.at} {tz}\n".encode())
        if c.is_merge:
            name, email = GITHUB_COMMITTER
            self.out.write(f"committer {name} <{email}> {c.committer_at} +0000\n".encode())
        else:
            self.out.write(f"committer {c.author.name} <{c.email}> {c.committer_at} {tz}\n".encode())
        self._data(c.message.encode())
        if c.parents:
            self.out.write(b"from :%d\n" % c.parents[0])
        for extra in c.parents[1:]:
            self.out.write(b"merge :%d\n" % extra)
        if c.is_merge:
            # The PR owns its files, so the merge tree is main's tree plus the PR's final files.
            changes = sorted(self.pr_blobs.pop(c.pr_number, {}).items())
            for path in {p for p, _ in changes}:
                self.files.pop(path, None)
        for path, blob_mark in changes:
            self.out.write(f"M 100644 :{blob_mark} {path}\n".encode())
        self.out.write(b"\n")


def write_repository(git_dir: Path, plan: RepoPlan, commits: list[CommitPlan]) -> None:
    """Create a bare repo at git_dir holding `main`, and set every commit's sha."""
    git_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(git_dir)], check=True)
    marks = git_dir / "sim-marks"
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"],
        cwd=git_dir,
        stdin=subprocess.PIPE,
        bufsize=1 << 20,  # few large writes: the stream is hundreds of MB for big profiles
    )
    stream = FastImportStream(proc.stdin)
    for c in commits:
        stream.commit(c, "refs/heads/main" if c.main_pos is not None and (c.is_merge or not c.parents)
                      else WORK_REF)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"git fast-import failed for {plan.full_name}")
    subprocess.run(["git", "update-ref", "-d", WORK_REF], cwd=git_dir, check=True)
    by_mark = {}
    for line in marks.read_text().splitlines():
        mark, sha = line.split()
        by_mark[int(mark[1:])] = sha
    marks.unlink()
    for c in commits:
        c.sha = by_mark[c.mark]


def tree_shas(git_dir: Path, shas: list[str]) -> dict[str, str]:
    """Tree sha of each commit (unmerged PR commits included: they are passed explicitly)."""
    out = subprocess.run(
        ["git", "log", "--no-walk=unsorted", "--stdin", "--format=%H %T"],
        cwd=git_dir,
        input="\n".join(shas) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split() for line in out.splitlines() if line)
