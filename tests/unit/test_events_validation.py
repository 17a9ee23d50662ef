"""Pushed events are checked line by line; every problem names the file, the line and the field, and the
JSON Schema files in extractors/events/schemas say what the validator does."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from extractors.events.lines import check_file
from extractors.events.models import MODELS, field_names, required_fields
from tests.conftest import PROJECT_DIR

SCHEMAS = PROJECT_DIR / "extractors" / "events" / "schemas"
TIME = "an RFC 3339 time with offset like 2026-01-05T14:03:00Z"
DEPLOYMENT = {
    "schema": "delivery.deployment/v1",
    "id": "d-1",
    "service": "checkout",
    "environment": "production",
    "sha": "3f9a2c1",
    "started_at": "2026-01-05T14:03:00Z",
    "finished_at": "2026-01-05T14:07:00Z",
    "status": "success",
}
INCIDENT = {
    "schema": "delivery.incident/v1",
    "id": "i-1",
    "service": "checkout",
    "title": "500s",
    "urgency": "high",
    "started_at": "2026-01-05T15:00:00+01:00",
}


def problems(*events: dict | str, only: str | None = None) -> list[str]:
    text = "\n".join(e if isinstance(e, str) else json.dumps(e) for e in events) + "\n"
    return [p for line in check_file("deploys.jsonl", text.encode(), only) for p in line.problems]


def schema_file(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.v1.json").read_text())


@pytest.mark.parametrize(("change", "message"), [
    ({"started_at": "2026-13-01"}, f"field started_at: got '2026-13-01', expected {TIME}"),
    ({"started_at": "2026-01-05T14:03:00"}, f"field started_at: got '2026-01-05T14:03:00', expected {TIME}"),
    ({"started_at": "2026-02-30T10:00:00Z"}, f"field started_at: got '2026-02-30T10:00:00Z', expected {TIME}"),
    ({"sha": "xyz"}, "field sha: got 'xyz', expected a commit sha: 7 to 40 hex digits"),
    ({"id": 42}, "field id: got number 42, expected a non-empty string of at most 500 characters"),
    ({"status": "succeeded"}, "field status: got 'succeeded', expected one of success, failure, error, in_progress"),
    ({"repository": "checkout"}, "field repository: got 'checkout', expected a repository as owner/name, like "
                                 "acme/checkout"),
    ({"url": "argocd/app"}, "field url: got 'argocd/app', expected an http(s) URL"),
    ({"finished_at": None}, "field finished_at: got nothing, expected a time when status is 'success' (only "
                            "in_progress may leave it out)"),
    ({"finished_at": "2026-01-05T14:00:00Z"}, "field finished_at: got '2026-01-05T14:00:00Z', expected a time at or "
                                              "after started_at (2026-01-05T14:03:00Z)"),
    ({"finshed_at": "2026-01-05T14:07:00Z"}, "field finshed_at: unknown field (closest: finished_at); expected only "
     "the fields of delivery.deployment/v1: schema, id, service, repository, environment, sha, started_at, "
     "finished_at, status, url, actor"),
    ({"service": None}, "field service: missing, expected a non-empty string of at most 500 characters (the field "
                        "is required)"),
    ({"schema": "delivery.deploymnt/v1"}, "field schema: got 'delivery.deploymnt/v1', expected "
     "delivery.deployment/v1 or delivery.incident/v1 (closest: delivery.deployment/v1)"),
])  # fmt: skip
def test_a_bad_field_is_named_with_file_line_and_what_was_expected(change, message):
    event = {k: v for k, v in {**DEPLOYMENT, **change}.items() if v is not None}
    assert problems(DEPLOYMENT, event) == [f"deploys.jsonl line 2, {message}"]


def test_every_problem_of_a_line_is_named_and_bad_json_names_the_line():
    assert problems(
        "",
        "{not json",
        "[1]",
        {
            "schema": "delivery.incident/v1",
            "id": "i",
            "service": "s",
            "title": "t",
            "urgency": "urgent",
            "started_at": "yesterday",
        },
    ) == [
        "deploys.jsonl line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2); "
        "expected one JSON object per line",
        "deploys.jsonl line 3: got array [1], expected a JSON object (one event per line)",
        "deploys.jsonl line 4, field urgency: got 'urgent', expected one of high, low",
        f"deploys.jsonl line 4, field started_at: got 'yesterday', expected {TIME}",
    ]


def test_an_in_progress_deployment_may_leave_finished_at_out_and_incidents_validate():
    in_progress = {k: v for k, v in DEPLOYMENT.items() if k != "finished_at"} | {"status": "in_progress"}
    assert problems(in_progress, INCIDENT, {**INCIDENT, "resolved_at": "2026-01-05T14:30:00Z"}) == []
    assert problems({**INCIDENT, "resolved_at": "2026-01-05T13:59:00Z"}) == [
        "deploys.jsonl line 1, field resolved_at: got '2026-01-05T13:59:00Z', expected a time at or after "
        "started_at (2026-01-05T15:00:00+01:00)"
    ]


def test_a_push_of_one_kind_refuses_lines_of_the_other():
    assert problems(DEPLOYMENT, INCIDENT, only="delivery.deployment/v1") == [
        "deploys.jsonl line 2, field schema: got 'delivery.incident/v1', expected delivery.deployment/v1 (a pushed "
        "file holds one event type: push delivery.incident/v1 events in their own file)"
    ]


def test_a_line_that_is_not_utf8_names_its_line():
    [first, second] = check_file("x.jsonl", json.dumps(DEPLOYMENT).encode() + b'\n{"id": "caf\xe9"}\n')
    assert first.problems == [] and second.problems == ["x.jsonl line 2: not UTF-8 text (byte 0xe9 at column 12)"]


# --- the JSON Schema files and the validator agree ---------------------------------------------------------


@pytest.mark.parametrize("name", ["deployment", "incident"])
def test_the_schema_files_have_the_models_fields_and_required_fields(name):
    schema = schema_file(name)
    model = MODELS[f"delivery.{name}/v1"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == f"delivery.{name}/v1" and schema["additionalProperties"] is False
    assert sorted(schema["required"]) == sorted(required_fields(model))
    assert sorted(schema["properties"]) == sorted(field_names(model))


def docs_examples() -> list[dict]:
    """Every JSON object in a ```json block of docs/EVENTS.md (one per line)."""
    text = (PROJECT_DIR / "docs" / "EVENTS.md").read_text()
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    return [json.loads(line) for block in blocks for line in block.splitlines() if line.strip()]


def test_the_examples_in_the_docs_and_schema_files_validate_both_ways():
    examples = docs_examples() + schema_file("deployment")["examples"] + schema_file("incident")["examples"]
    assert len(examples) >= 5
    kinds = {e["schema"] for e in examples}
    assert kinds == set(MODELS)
    for example in examples:
        schema = schema_file(example["schema"].split(".")[1].split("/")[0])
        jsonschema.validate(example, schema)
        assert problems(example) == [], example


@pytest.mark.parametrize("change", [
    {"started_at": "2026-01-05 14:03:00Z"}, {"started_at": "2026-01-05T14:03:00"}, {"sha": "abc"},
    {"sha": "g" * 7}, {"status": "done"}, {"id": ""}, {"id": 5}, {"extra": 1}, {"repository": "a/b/c"},
    {"url": "ftp://x"}, {"finished_at": None}, {"schema": "delivery.deployment/v2"},
])  # fmt: skip
def test_what_the_schema_file_refuses_the_validator_refuses(change):
    event = {k: v for k, v in {**DEPLOYMENT, **change}.items() if v is not None}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(event, schema_file("deployment"))
    assert problems(event) != []
