"""Canary: one unique token is every source's credential; after the CLI pipeline, real Airflow DAG runs, an
API that echoes the credential in its 401, and a failing dbt run, no file, table row or captured output
holds the token, its base64 forms or PagerDuty's `token=<key>`."""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
import yaml

from scripts.local_airflow import airflow_env, dags_test, init, logical_date_covering
from simulator import SimServer, generate, write_pipeline_config
from tests.scripted_server import ScriptedServer

pytestmark = [pytest.mark.e2e, pytest.mark.airflow]
DELIVERY = str(Path(sys.executable).with_name("delivery"))
JIRA_USER = "delivery-warehouse@acme.test"
JIRA_CONNECTION = "jira_canary"  # the Airflow runs read Jira's credentials from a Connection, the others from env
HTTP_SOURCES = ("github", "jira", "pagerduty")


@pytest.fixture(scope="module")
def tiny_sim(tmp_path_factory) -> Path:
    return generate(profile="tiny", seed=11, out_dir=tmp_path_factory.mktemp("sim") / "tiny")


@pytest.fixture
def canary() -> str:
    return f"canary-{uuid.uuid4().hex}"


def needles(canary: str) -> dict[str, bytes]:
    """What would betray the canary: the token, its base64 alone and inside Jira's user:token, `token=<key>`."""
    return {
        "token": canary.encode(),
        "base64(token)": base64.b64encode(canary.encode()),
        "base64(user:token)": base64.b64encode(f"{JIRA_USER}:{canary}".encode()),
        "token=<key>": f"token={canary}".encode(),
    }


def test_no_trace_of_the_canary_anywhere(tiny_sim, canary, tmp_path):
    window_end = json.loads((tiny_sim / "org.json").read_text())["window"]["end"]
    env = {**os.environ, "SIM_GITHUB_TOKEN": canary, "SIM_JIRA_TOKEN": canary, "SIM_JIRA_USER": JIRA_USER,
           "SIM_PAGERDUTY_TOKEN": canary}  # fmt: skip
    captured: dict[str, str] = {}
    with SimServer(tiny_sim, token=canary) as server:  # accepts the canary only: a 200 proves it was sent
        config = tmp_path / "config.yml"
        config.write_text(write_pipeline_config(tiny_sim, base_url=server.base_url).read_text())
        state = tmp_path / "state"
        run_env = {**env, "DELIVERY_STATE_DIR": str(state)}
        captured["delivery run"] = delivery(run_env, 0, "-v", "run", "--config", str(config), "--until", window_end)
        assert_served_with_canary(server)

        server.clear_request_log()
        captured.update(airflow_runs(tmp_path, config, state, run_env, canary, window_end))
        assert_served_with_canary(server)

    captured.update(echoed_401s(tmp_path, config, env, canary, window_end))
    failed = delivery({**env, "DELIVERY_STATE_DIR": str(tmp_path / "broken")}, 2, "transform", "--config",
                      str(config), "--", "--select", "stg_github__repositories")  # fmt: skip
    assert "dbt build failed" in failed and "does not exist" in failed  # a real dbt failure, with its logs
    captured["failing dbt"] = failed

    (tmp_path / "captured").mkdir()
    for index, (what, output) in enumerate(captured.items()):
        (tmp_path / "captured" / f"{index}.txt").write_text(f"{what}\n{output}")
    report = scan(tmp_path, needles(canary))
    print(f"canary scan: {report}")
    assert report.hits == []
    assert report.files > 500 and report.gz_files > 30 and report.sqlite_files >= 1, report
    assert report.duckdb_files >= 3 and report.duckdb_columns > 300 and report.duckdb_rows_matched == 0, report
    assert (tmp_path / "airflow" / "airflow.db").exists() and (tmp_path / "broken" / "dbt" / "logs").is_dir()


def test_the_scan_finds_a_planted_canary(canary, tmp_path):
    """The scan can fail: a token hidden in a gzip, a DuckDB column, an Airflow-style zlib blob is found."""
    (tmp_path / "plain.log").write_bytes(b"Authorization: Token token=" + canary.encode())
    (tmp_path / "landing.jsonl.gz").write_bytes(gzip.compress(base64.b64encode(canary.encode())))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.t as select 'x' || range::varchar as a, ? as b from range(5000)", [canary])
    with contextlib.closing(sqlite3.connect(tmp_path / "airflow.db")) as conn:
        conn.execute("create table xcom (value blob)")
        conn.execute("insert into xcom values (?)", [zlib.compress(canary.encode())])
        conn.commit()
    where = [hit.split(": ")[0] for hit in scan(tmp_path, needles(canary)).hits]
    for planted in ("plain.log", "landing.jsonl.gz (gunzipped)", "warehouse.duckdb raw.t.b", "airflow.db xcom.value"):
        assert any(w.endswith(planted) for w in where), (planted, where)


def delivery(env: dict[str, str], expected_exit: int, *args: str) -> str:
    result = subprocess.run([DELIVERY, *args], env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == expected_exit, f"delivery {args} exited {result.returncode}:\n{output[-4000:]}"
    return output


def assert_served_with_canary(server: SimServer) -> None:
    """Every vendor answered 200s (the server accepts nothing but the canary) and nobody was turned away."""
    log = server.request_log()
    assert all(entry["status"] != 401 for entry in log)
    ok_paths = [entry["path"] for entry in log if entry["status"] == 200]
    for prefix in ("/jira/", "/pagerduty/"):
        assert any(path.startswith(prefix) for path in ok_paths), f"no authorized request under {prefix}"
    assert any(not path.startswith(("/jira/", "/pagerduty/")) for path in ok_paths), "no authorized GitHub request"


def airflow_runs(tmp_path: Path, config: Path, state: Path, env: dict[str, str], canary: str, window_end: str):
    """Each HTTP source's extract DAG, then transform, on the CLI run's state; Jira's token from a Connection."""
    settings = yaml.safe_load(config.read_text())
    jira = next(s for s in settings["sources"] if s["name"] == "jira")
    jira["airflow_conn_id"] = JIRA_CONNECTION
    del jira["token_env"], jira["user_env"]
    airflow_config = tmp_path / "airflow_config.yml"
    airflow_config.write_text(yaml.safe_dump(settings, sort_keys=False))
    connection = json.dumps({"conn_type": "http", "login": JIRA_USER, "password": canary})
    env = airflow_env(tmp_path / "airflow", **{key: value for key, value in env.items() if key.startswith("SIM_")},
                      DELIVERY_CONFIG=str(airflow_config), DELIVERY_STATE_DIR=str(state),
                      AIRFLOW_CONN_JIRA_CANARY=connection)  # fmt: skip
    env.pop("SIM_JIRA_TOKEN")  # so only the Connection can have authorized the Jira DAG's requests
    init(env)
    date = logical_date_covering(window_end)
    return {f"airflow {dag_id}": dags_test(dag_id, date, env) for dag_id in (*(f"extract_{s}" for s in HTTP_SOURCES),
                                                                           "transform")}  # fmt: skip


def echoed_401s(tmp_path: Path, config: Path, env: dict[str, str], canary: str, window_end: str) -> dict[str, str]:
    """A server that answers 401 with the Authorization header, the decoded Basic pair and the token in it."""

    def echo(path: str, query: dict, headers: dict[str, str]):
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            value = base64.b64decode(value).decode() if scheme == "Basic" else value
        if path.startswith("/pagerduty"):  # not JSON: the error message falls back to the raw text
            return 401, {}, f"401 Unauthorized. You sent {auth!r} ({value}); the right key is not {canary}".encode()
        text = f"Bad credentials: {auth} decoded {value} token {canary}"
        return 401, {}, {"message": text, "errorMessages": [text], "error": {"message": text, "errors": [auth]}}

    settings = yaml.safe_load(config.read_text())
    outputs = {}
    with ScriptedServer(echo) as server:
        for source in settings["sources"]:
            if source["name"] in HTTP_SOURCES:
                source["base_url"] = server.url + ("" if source["name"] == "github" else f"/{source['name']}")
        echo_config = tmp_path / "echo_config.yml"
        echo_config.write_text(yaml.safe_dump(settings, sort_keys=False))
        echo_env = {**env, "DELIVERY_STATE_DIR": str(tmp_path / "echo")}
        for name in HTTP_SOURCES:
            output = delivery(echo_env, 1, "extract", "--config", str(echo_config), "--source", name,
                              "--until", window_end)  # fmt: skip
            assert "401" in output and "***" in output, output  # the echo arrived and was redacted
            outputs[f"echo 401 {name}"] = output
    sent = {headers.get("authorization", "") for _, _, headers in server.requests}
    assert {f"Bearer {canary}", f"Token token={canary}",
            "Basic " + base64.b64encode(f"{JIRA_USER}:{canary}".encode()).decode()} <= sent  # fmt: skip
    return outputs


@dataclass
class ScanReport:
    files: int = 0
    gz_files: int = 0
    duckdb_files: int = 0
    duckdb_columns: int = 0
    duckdb_rows_matched: int = 0
    sqlite_files: int = 0
    hits: list[str] = field(default_factory=list)


def scan(root: Path, secrets: dict[str, bytes]) -> ScanReport:
    """Every file's bytes, gzip files decompressed, DuckDB files queried (every varchar column of every table),
    SQLite files queried (every text and blob value, blobs also inflated as Airflow may compress them)."""
    report = ScanReport()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        report.files += 1
        data = path.read_bytes()
        report.hits += _found(str(path), data, secrets)
        if path.name.endswith(".gz"):
            report.gz_files += 1
            report.hits += _found(f"{path} (gunzipped)", gzip.decompress(data), secrets)
        if data[8:12] == b"DUCK":
            report.duckdb_files += 1
            _query_duckdb(path, secrets, report)
        if data.startswith(b"SQLite format 3\x00"):
            report.sqlite_files += 1
            _query_sqlite(path, secrets, report)
    return report


def _found(where: str, data: bytes, secrets: dict[str, bytes]) -> list[str]:
    return [f"{where}: {name}" for name, secret in secrets.items() if secret in data]


def _query_duckdb(path: Path, secrets: dict[str, bytes], report: ScanReport) -> None:
    with duckdb.connect(str(path), read_only=True) as conn:
        columns = conn.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns as c "
            "join information_schema.tables as t using (table_catalog, table_schema, table_name) "
            "where t.table_type = 'BASE TABLE' and c.table_catalog = current_database() "
            "and (c.data_type like '%VARCHAR%' or c.data_type = 'JSON')"
        ).fetchall()
        for schema, table, column in columns:
            report.duckdb_columns += 1
            for name, secret in secrets.items():
                matched = conn.execute(
                    f'select count(*) from "{schema}"."{table}" where contains(cast("{column}" as varchar), ?)',
                    [secret.decode()],
                ).fetchone()[0]
                if matched:
                    report.duckdb_rows_matched += matched
                    report.hits.append(f"{path} {schema}.{table}.{column}: {name} in {matched} rows")


def _query_sqlite(path: Path, secrets: dict[str, bytes], report: ScanReport) -> None:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            cursor = conn.execute(f'select * from "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(names, row, strict=True):
                    for data in _sqlite_forms(value):
                        report.hits += _found(f"{path} {table}.{column}", data, secrets)


def _sqlite_forms(value: object) -> list[bytes]:
    if isinstance(value, str):
        return [value.encode()]
    if not isinstance(value, bytes):
        return []
    try:
        return [value, zlib.decompress(value)]
    except zlib.error:
        return [value]
