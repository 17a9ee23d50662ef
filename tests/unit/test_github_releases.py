"""Releases and tags over real loopback HTTP: releases are listed whole (every page) each run, a release published
at or after the window end waits for the next run, a draft lands as received; tags are listed whole right after
the releases, and only for a repository that has releases (one without costs no request for them)."""

from __future__ import annotations

import datetime as dt

from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from tests.landing_helpers import landed, manifests
from tests.scripted_server import ScriptedServer

WINDOW_END = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def release(release_id: int, tag: str, published_at: str | None, **extra) -> dict:
    return {"id": release_id, "tag_name": tag, "target_commitish": "main", "draft": published_at is None,
            "prerelease": False, "created_at": "2026-02-27T10:00:00Z", "published_at": published_at,
            **extra}  # fmt: skip


RELEASES = {
    "/repos/acme/app/releases": [
        [release(4, "v1.3.0", "2026-03-02T00:00:00Z"), release(3, "v1.3.0-rc.1", None)],  # page 1: newest first
        [release(2, "v1.2.0", "2026-03-01T23:59:59Z"), release(1, "v1.1.0", "2026-02-01T09:00:00Z")],
    ],
    "/repos/acme/lib/releases": [[]],
}
TAGS = [{"name": f"v1.{n}.0", "commit": {"sha": f"sha{n}", "url": "..."}, "zipball_url": "...", "tarball_url": "...",
         "node_id": f"T{n}"} for n in (3, 2, 1)]  # fmt: skip


def test_releases_every_page_then_tags_only_beside_releases(tmp_path):
    def handler(path, query, headers):
        page = int(query.get("page", ["1"])[0])
        if path.endswith("/tags"):
            return 200, {}, TAGS
        pages = RELEASES[path]
        more = {"Link": f'<{server.url}{path}?per_page=2&page={page + 1}>; rel="next"'} if page < len(pages) else {}
        return 200, more, pages[page - 1]

    ctx = RunContext(source="gh", kind="github", run_id="r1", window_end=WINDOW_END,
                     landing_dir=tmp_path / "landing", cursors=CursorStore(tmp_path / "state"))  # fmt: skip
    with ScriptedServer(handler) as server:
        session = make_session(server.url, "t")
        app = extract_repository(session, ctx, "acme/app", page_size=2, streams=("releases", "tags"))
        lib = extract_repository(session, ctx, "acme/lib", page_size=2, streams=("releases", "tags"))
    asked = [path for path, _, _ in server.requests]

    assert asked == ["/repos/acme/app/releases", "/repos/acme/app/releases", "/repos/acme/app/tags",
                     "/repos/acme/lib/releases"]  # fmt: skip
    assert app == {"releases": 3, "tags": 3} and lib == {"releases": 0, "tags": 0}
    # v1.3.0 was published at the window end: the next run's; the draft has no published_at: landed as received
    assert sorted(r["record_id"] for r in landed(tmp_path, "releases")) == ["1", "2", "3"]
    assert {r["record_id"]: r["payload"]["commit"]["sha"] for r in landed(tmp_path, "tags")} == {
        "v1.3.0": "sha3", "v1.2.0": "sha2", "v1.1.0": "sha1"}  # fmt: skip
    # whole lists: no cursor kept, so the next run lists them again (a draft gets published, a tag moves)
    assert all(m.get("cursor") is None for m in manifests(tmp_path, "releases") + manifests(tmp_path, "tags"))
