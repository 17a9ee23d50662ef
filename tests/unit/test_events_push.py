"""`delivery events push` on real files: a bad file is refused whole with every problem, a good one is copied
once under its content's name, and the config decides the folder."""

from __future__ import annotations

import json
import textwrap

from extractors import cli

GOOD = {
    "schema": "delivery.deployment/v1",
    "id": "d-1",
    "service": "checkout",
    "environment": "production",
    "sha": "3f9a2c1",
    "started_at": "2026-01-05T14:03:00Z",
    "status": "in_progress",
}


def config(tmp_path, sources: str | None = None) -> str:
    path = tmp_path / "config.yml"
    path.write_text(
        textwrap.dedent(f"""
        warehouse: {{state_dir: {tmp_path / "state"}}}
        sources:
        """)
        + textwrap.indent(sources or f"- {{name: deploys, kind: events, drop_folder: {tmp_path / 'drop'}}}\n", "  ")
    )
    return str(path)


def events_file(tmp_path, name: str, *lines: dict | str) -> str:
    path = tmp_path / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return str(path)


def push(*args: str) -> int:
    return cli.main(["events", "push", *args])


def test_a_bad_file_is_refused_with_every_problem_and_nothing_is_copied(tmp_path, capsys):
    bad = events_file(
        tmp_path, "deploys.jsonl", GOOD, {**GOOD, "started_at": "2026-13-01"}, "{oops", {**GOOD, "sha": "zz"}
    )
    assert push("--kind", "deployment", bad, "--config", config(tmp_path)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad} line 2, field started_at: got '2026-13-01', expected an RFC 3339 time with offset like "
        "2026-01-05T14:03:00Z",
        f"{bad} line 3: not valid JSON (Expecting property name enclosed in double quotes at column 2); expected "
        "one JSON object per line",
        f"{bad} line 4, field sha: got 'zz', expected a commit sha: 7 to 40 hex digits",
        "delivery events push: 3 problem(s), nothing copied",
    ]
    assert not (tmp_path / "drop").exists() or list((tmp_path / "drop").iterdir()) == []


def test_an_empty_file_and_a_file_of_the_other_kind_are_refused(tmp_path, capsys):
    empty = events_file(tmp_path, "empty.jsonl", "")
    assert push("--kind", "incident", empty, "--config", config(tmp_path)) == 1
    assert "no events, expected one delivery.incident/v1 JSON object per line" in capsys.readouterr().err
    assert push("--kind", "incident", events_file(tmp_path, "d.jsonl", GOOD), "--config", config(tmp_path)) == 1
    assert "field schema: got 'delivery.deployment/v1', expected delivery.incident/v1" in capsys.readouterr().err
    assert not (tmp_path / "drop").exists()


def test_pushing_the_same_file_twice_copies_it_once_atomically(tmp_path, capsys):
    good = events_file(
        tmp_path, "deploys.jsonl", GOOD, {**GOOD, "status": "success", "finished_at": "2026-01-05T14:09:00Z"}
    )
    assert push("--kind", "deployment", good, "--config", config(tmp_path)) == 0
    [copied] = (tmp_path / "drop").iterdir()
    assert copied.name.startswith("deployment-") and copied.read_bytes() == (tmp_path / "deploys.jsonl").read_bytes()
    assert capsys.readouterr().out == f"pushed 2 deployment event(s) to {copied}\n"
    before = copied.stat().st_mtime_ns
    assert push("--kind", "deployment", good, "--config", config(tmp_path)) == 0
    assert capsys.readouterr().out == f"already pushed, nothing copied: {copied}\n"
    assert list((tmp_path / "drop").iterdir()) == [copied] and copied.stat().st_mtime_ns == before


def test_the_source_is_the_configs_only_events_source_or_the_named_one(tmp_path, capsys):
    good = events_file(tmp_path, "deploys.jsonl", GOOD)
    two = (
        f"- {{name: team_a, kind: events, drop_folder: {tmp_path / 'a'}}}\n"
        f"- {{name: team_b, kind: events, drop_folder: {tmp_path / 'b'}}}\n"
        f"- {{name: code, kind: git, scopes: [{{path: {tmp_path}, repository: acme/x}}]}}\n"
    )
    assert push("--kind", "deployment", good, "--config", config(tmp_path, two)) == 2
    assert "expected exactly one source of kind events or --source NAME (found: team_a, team_b)" in (
        capsys.readouterr().err
    )
    assert push("--kind", "deployment", good, "--config", config(tmp_path, two), "--source", "code") == 2
    assert "'code' is a git source, expected one of kind events" in capsys.readouterr().err
    assert push("--kind", "deployment", good, "--config", config(tmp_path, two), "--source", "team_b") == 0
    assert len(list((tmp_path / "b").iterdir())) == 1 and not (tmp_path / "a").exists()


def test_an_events_source_takes_only_a_drop_folder(tmp_path, capsys):
    scoped = f"- {{name: d, kind: events, drop_folder: {tmp_path}, scopes: [{{x: 1}}]}}\n"
    assert push("--kind", "deployment", "x.jsonl", "--config", config(tmp_path, scoped)) == 2
    assert "sources[0].scopes: expected no scopes: an events source reads every file of its drop_folder" in (
        capsys.readouterr().err
    )
