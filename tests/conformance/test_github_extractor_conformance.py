"""The GitHub extractor against GitHub's own recorded responses (octokit fixtures), replayed on loopback."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from urllib.parse import parse_qs, urlsplit

from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from tests.conformance.vendor import vendor_json
from tests.scripted_server import ScriptedServer


def test_link_pagination_of_recorded_issue_pages_lands_every_issue(tmp_path):
    recording = vendor_json("github", "octokit-paginate-issues.json")
    pages = {int(parse_qs(urlsplit(r["path"]).query).get("page", ["1"])[0]): r for r in recording}

    def replay(path, query, headers):
        entry = pages[int(query.get("page", ["1"])[0])]
        link = entry["headers"].get("link", "").replace("https://api.github.com", server.url)
        return entry["status"], {"Link": link}, entry["response"]

    ctx = RunContext(source="github", kind="github", run_id="conformance", landing_dir=tmp_path,
                     window_end=dt.datetime(2100, 1, 1, tzinfo=dt.UTC), cursors=CursorStore(tmp_path / "state"))
    with ScriptedServer(replay) as server:
        counts = extract_repository(make_session(server.url, "t"), ctx, "octokit-fixture-org/paginate-issues",
                                    page_size=3, streams=("issues",))
    expected = [issue["id"] for page in sorted(pages) for issue in pages[page]["response"]]
    assert counts == {"issues": len(expected)} and len(expected) == 13
    landed = next(tmp_path.rglob("*.jsonl.gz"))
    with gzip.open(landed) as handle:
        lines = [json.loads(line) for line in handle]
    assert [line["payload"]["id"] for line in lines] == expected
    assert [line["payload"] for line in lines] == [i for p in sorted(pages) for i in pages[p]["response"]]
