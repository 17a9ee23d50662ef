"""A hostile or broken server's page: what is not a record is quarantined, an unreadable time is landed for
staging to judge, and one failing scope does not stop the others (real loopback HTTP, real landing files)."""

from __future__ import annotations

import datetime as dt
import textwrap

from extractors import cli
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from tests.landing_helpers import landed
from tests.scripted_server import ScriptedServer

END = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def context(tmp_path) -> RunContext:
    return RunContext(source="gh", kind="github", run_id="r1", window_end=END, landing_dir=tmp_path / "landing",
                      cursors=CursorStore(tmp_path / "state"))  # fmt: skip


def pr(number: int, updated: object) -> dict:
    return {"id": 1000 + number, "number": number, "updated_at": updated, "created_at": "2026-02-01T00:00:00Z"}


def test_list_items_that_are_not_objects_are_quarantined_and_the_rest_lands(tmp_path):
    pulls = [pr(1, "2026-02-03T00:00:00Z"), ["not", "a", "record"], "a string", 7, pr(2, "2026-02-02T00:00:00Z")]

    def handler(path, query, headers):
        return 200, {}, pulls if path.endswith("/pulls") else []

    with ScriptedServer(handler) as server:
        counts = extract_repository(make_session(server.url, "t"), context(tmp_path), "acme/api",
                                    streams=("pull_requests", "pull_request_reviews"))  # fmt: skip
    assert counts == {"pull_requests": 2, "pull_request_reviews": 0}
    lines = landed(tmp_path, "pull_requests")
    assert sorted(line["record_id"] for line in lines if "record_id" in line) == ["1001", "1002"]
    reasons = sorted(line["quarantine_reason"] for line in lines if "quarantine_reason" in line)
    assert reasons == [f"expected a JSON object in the list, got {t}" for t in ("int", "list", "str")]


def test_an_unreadable_update_time_is_landed_for_staging_to_judge_and_paging_goes_on(tmp_path):
    pulls = [pr(1, "Wed, 25 Feb 2026 10:00:00 GMT"), pr(2, 1771999200), pr(3, "2026-02-02T00:00:00Z")]

    def handler(path, query, headers):
        return 200, {}, pulls if path.endswith("/pulls") else [{"id": 9, "submitted_at": "2026-02-02T00:00:00Z"}]

    with ScriptedServer(handler) as server:
        counts = extract_repository(make_session(server.url, "t"), context(tmp_path), "acme/api",
                                    streams=("pull_requests", "pull_request_reviews"))  # fmt: skip
    assert counts == {"pull_requests": 3, "pull_request_reviews": 3}  # each PR's reviews were read too


def test_a_failing_scope_does_not_stop_the_others_and_the_run_exits_non_zero(tmp_path, monkeypatch, capsys, sleeps):
    monkeypatch.setenv("GH_TEST_TOKEN", "t0ken")

    def handler(path, query, headers):
        if path.startswith("/repos/acme/broken"):
            return 500, {}, {"message": "boom"}
        return 200, {}, []

    with ScriptedServer(handler) as server:
        config = tmp_path / "config.yml"
        config.write_text(textwrap.dedent(f"""
            warehouse: {{state_dir: {tmp_path / 'state'}}}
            sources:
              - name: gh
                kind: github
                base_url: {server.url}
                token_env: GH_TEST_TOKEN
                scopes: [{{repo: acme/broken}}, {{repo: acme/fine}}]
                streams: [releases]
            """))
        status = cli.main(["extract", "--config", str(config), "--source", "gh", "--until", "2026-03-01T00:00:00Z"])
    out, err = capsys.readouterr()
    assert status == 1
    assert '"scope": "acme/fine"' in out and '"releases": 0' in out
    assert "source gh (github), scope acme/broken: GET" in err and "500 Internal Server Error" in err
    assert "t0ken" not in out + err


def test_the_configured_page_cap_stops_a_server_that_always_says_next(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GH_TEST_TOKEN", "t0ken")
    asked = []

    def handler(path, query, headers):
        asked.append(path)
        page = int(query.get("page", ["1"])[0])
        return 200, {"Link": f'<{server.url}{path}?page={page + 1}>; rel="next"'}, [{"id": page, "tag_name": "v"}]

    with ScriptedServer(handler) as server:
        config = tmp_path / "config.yml"
        config.write_text(textwrap.dedent(f"""
            warehouse: {{state_dir: {tmp_path / 'state'}}}
            sources:
              - name: gh
                kind: github
                base_url: {server.url}
                token_env: GH_TEST_TOKEN
                max_pages: 3
                scopes: [{{repo: acme/api}}]
                streams: [releases]
            """))
        status = cli.main(["extract", "--config", str(config), "--source", "gh", "--until", "2026-03-01T00:00:00Z"])
    assert status == 1
    assert asked.count("/repos/acme/api/releases") == 3
    assert "more than 3 pages" in capsys.readouterr().err
