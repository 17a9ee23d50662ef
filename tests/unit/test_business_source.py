"""The business source on real files: strict CSV checks (whole-file errors and quarantined rows, each with
its exact message), landing, loading twice, and re-landing only when a file changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from extractors.business.settings import BusinessSettings
from extractors.business.source import extract_business_scope
from extractors.core.errors import ConfigError, ExtractError
from extractors.core.loader import load_landing
from extractors.core.registry import streams_by_kind
from extractors.core.settings import validate
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from tests.landing_helpers import landed

HEADER = "month,team,measure,value,currency,responses\n"
TEAMS = ("checkout", "ledger")
END = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
EXPECTED = "month,team,measure,value,currency[,responses]"


def settings(*scopes: dict) -> BusinessSettings:
    document = {"name": "finance", "kind": "business", "currency": "EUR", "scopes": list(scopes)}
    return validate(BusinessSettings, document)


def context(tmp_path: Path, run_id: str = "r1", teams: tuple[str, ...] = TEAMS) -> RunContext:
    return RunContext(source="finance", kind="business", run_id=run_id, window_end=END,
                      landing_dir=tmp_path / "landing", cursors=CursorStore(tmp_path / "state"), team_keys=teams)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def run(tmp_path: Path, *paths: Path, measures: list[str] | None = None, run_id: str = "r1",
        teams: tuple[str, ...] = TEAMS) -> dict[str, int]:
    scope = {"name": "spend", "paths": [str(p) for p in paths], **({"measures": measures} if measures else {})}
    config = settings(scope)
    return extract_business_scope(context(tmp_path, run_id, teams), config, config.scopes[0])


def quarantined(tmp_path: Path) -> list[tuple[str, str]]:
    return [(line["quarantine_reason"], line["raw"]) for line in landed(tmp_path, "monthly_measures")
            if "quarantine_reason" in line]


def payloads(tmp_path: Path) -> list[dict]:
    return [line["payload"] for line in landed(tmp_path, "monthly_measures") if "payload" in line]


# --- whole-file errors: the file's meaning is unknown, nothing of the scope lands -------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("month,team,measur,value,currency\n",
     "line 1, column 3: unknown column 'measur' (closest: measure); expected the header "
     "month,team,measure,value,currency[,responses], separated by commas"),
    ("month;team;measure;value;currency\n",
     "line 1, column 1: unknown column 'month;team;measure;value;currency'; expected the header "
     "month,team,measure,value,currency[,responses], separated by commas"),
    ("month,team,measure,value,currency,value\n",
     "line 1, column 6: column 'value' appears twice (also column 4); expected each column once"),
    ("month,team,measure,value\n",
     "line 1: missing column currency; expected the header month,team,measure,value,currency[,responses]"),
    ("month,measure,currency\n",
     "line 1: missing columns team, value; expected the header month,team,measure,value,currency[,responses]"),
])
def test_a_malformed_header_fails_the_file_naming_line_and_column(tmp_path, text, message):
    path = write(tmp_path, "spend.csv", text + "2026-01,checkout,ai_tool_spend,10,EUR\n")
    with pytest.raises(ExtractError) as error:
        run(tmp_path, path)
    assert str(error.value) == f"{path} {message}"
    assert landed(tmp_path, "monthly_measures") == []


def test_an_empty_file_a_missing_path_and_an_empty_folder_fail(tmp_path):
    empty = write(tmp_path, "empty.csv", "\n")
    with pytest.raises(ExtractError) as error:
        run(tmp_path, empty)
    assert str(error.value) == f"{empty}: empty file, expected a header line {EXPECTED}"
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(ExtractError) as error:
        run(tmp_path, missing)
    assert str(error.value) == f"{missing}: no such file or folder (scope spend)"
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ExtractError) as error:
        run(tmp_path, folder)
    assert str(error.value) == f"{folder}: folder holds no .csv files (scope spend)"


def test_a_file_that_is_not_utf8_fails_naming_the_line(tmp_path):
    path = write(tmp_path, "spend.csv", HEADER.encode() + b"2026-01,checkout,ai_tool_spend,10,EUR,\n2026-02,caf\xe9\n")
    with pytest.raises(ExtractError) as error:
        run(tmp_path, path)
    assert str(error.value) == f"{path} line 3: not UTF-8 text (byte 0xe9 at offset 94); expected a UTF-8 CSV file"


def test_one_bad_file_of_a_scope_lands_nothing_of_the_scope(tmp_path):
    good = write(tmp_path, "a.csv", HEADER + "2026-01,checkout,ai_tool_spend,10,EUR,\n")
    bad = write(tmp_path, "b.csv", "month,team\n")
    with pytest.raises(ExtractError, match="b.csv line 1: missing columns measure, value, currency"):
        run(tmp_path, good, bad)
    assert landed(tmp_path, "monthly_measures") == [] and landed(tmp_path, "snapshots") == []


# --- row problems: the row is quarantined with every reason, the rest of the file lands -------------------

@pytest.mark.parametrize(("row", "reason"), [
    ("2026-13,checkout,ai_tool_spend,10,EUR,",
     "line 2, column 1 (month): got '2026-13', expected a month like 2026-01 (YYYY-MM)"),
    ("2026-01-01,checkout,ai_tool_spend,10,EUR,",
     "line 2, column 1 (month): got '2026-01-01', expected a month like 2026-01 (YYYY-MM)"),
    ("2026-01,chekout,ai_tool_spend,10,EUR,",
     "line 2, column 2 (team): got 'chekout', expected a team key of the config's `teams:` or * for the whole org "
     "(closest: checkout)"),
    ("2026-01,checkout,ai_spend,10,EUR,",
     "line 2, column 3 (measure): got 'ai_spend', expected one of ai_tool_spend, infrastructure_spend, revenue, "
     "headcount, csat, nps (closest: ai_tool_spend)"),
    ("2026-01,checkout,ai_tool_spend,\"1,200.50\",EUR,",
     "line 2, column 4 (value): got '1,200.50', expected a number like 1234.50 (a dot for decimals, no thousands "
     "separators)"),
    ("2026-01,checkout,ai_tool_spend,n/a,EUR,",
     "line 2, column 4 (value): got 'n/a', expected a number like 1234.50 (a dot for decimals, no thousands "
     "separators)"),
    ("2026-01,checkout,ai_tool_spend,-5,EUR,",
     "line 2, column 4 (value): got '-5', expected a number >= 0 for ai_tool_spend"),
    ("2026-01,checkout,csat,101,,40",
     "line 2, column 4 (value): got '101', expected a number from 0 to 100 for csat"),
    ("2026-01,checkout,ai_tool_spend,10,USD,",
     "line 2, column 5 (currency): got 'USD', expected EUR (the source's currency; money values are not converted)"),
    ("2026-01,checkout,ai_tool_spend,10,,",
     "line 2, column 5 (currency): got '', expected EUR (the source's currency; money values are not converted)"),
    ("2026-01,checkout,headcount,10,EUR,",
     "line 2, column 5 (currency): got 'EUR', expected nothing: headcount is not money"),
    ("2026-01,checkout,csat,80,,",
     "line 2, column 6 (responses): got '', expected the number of survey responses (an integer >= 1) for csat"),
    ("2026-01,checkout,nps,12,,0",
     "line 2, column 6 (responses): got '0', expected the number of survey responses (an integer >= 1) for nps"),
    ("2026-01,checkout,revenue,10,EUR,7",
     "line 2, column 6 (responses): got '7', expected nothing: only survey measures (csat, nps) have responses"),
    ("2026-01,checkout,ai_tool_spend,10,EUR",
     "line 2: got 5 fields, expected 6 as in the header"),
])
def test_a_bad_row_is_quarantined_with_its_exact_reason_and_the_rest_lands(tmp_path, row, reason):
    path = write(tmp_path, "spend.csv", HEADER + row + "\n2026-02,ledger,ai_tool_spend,20.5,EUR,\n")
    assert run(tmp_path, path) == {"monthly_measures": 1, "snapshots": 1}
    assert quarantined(tmp_path) == [(f"{path} {reason}", row)]
    [good] = payloads(tmp_path)
    assert {k: good[k] for k in ("month", "team", "measure", "value", "currency", "responses", "line")} == {
        "month": "2026-02", "team": "ledger", "measure": "ai_tool_spend", "value": "20.5", "currency": "EUR",
        "responses": None, "line": 3}


def test_every_problem_of_a_row_is_named_at_once(tmp_path):
    path = write(tmp_path, "spend.csv", HEADER + "26-1,nobody,ai_tool_spend,ten,EUR,\n")
    run(tmp_path, path)
    [(reason, _)] = quarantined(tmp_path)
    assert reason == (
        f"{path} line 2, column 1 (month): got '26-1', expected a month like 2026-01 (YYYY-MM); "
        f"{path} line 2, column 2 (team): got 'nobody', expected a team key of the config's `teams:` or * for the "
        "whole org; "
        f"{path} line 2, column 4 (value): got 'ten', expected a number like 1234.50 (a dot for decimals, no "
        "thousands separators)"
    )


def test_a_measure_the_scope_does_not_hold_is_quarantined(tmp_path):
    path = write(tmp_path, "spend.csv", HEADER + "2026-01,checkout,revenue,100,EUR,\n")
    run(tmp_path, path, measures=["ai_tool_spend", "infrastructure_spend"])
    assert quarantined(tmp_path) == [(
        f"{path} line 2, column 3 (measure): got 'revenue', expected a measure of this scope: ai_tool_spend, "
        "infrastructure_spend", "2026-01,checkout,revenue,100,EUR,")]


def test_a_repeated_month_team_measure_is_quarantined_everywhere_it_appears(tmp_path):
    first = write(tmp_path, "a.csv", HEADER + "2026-01,checkout,ai_tool_spend,10,EUR,\n2026-01,*,revenue,5,EUR,\n")
    second = write(tmp_path, "b.csv", "team,month,measure,value,currency\ncheckout,2026-01,ai_tool_spend,11,EUR\n")
    assert run(tmp_path, tmp_path / "files")["monthly_measures"] == 1
    assert quarantined(tmp_path) == [
        (f"{first} line 2: month 2026-01, team checkout, measure ai_tool_spend is also at {second} line 2; "
         "expected each month/team/measure once (every copy is quarantined)", "2026-01,checkout,ai_tool_spend,10,EUR,"),
        (f"{second} line 2: month 2026-01, team checkout, measure ai_tool_spend is also at {first} line 2; "
         "expected each month/team/measure once (every copy is quarantined)", "checkout,2026-01,ai_tool_spend,11,EUR"),
    ]
    assert [(p["team"], p["measure"]) for p in payloads(tmp_path)] == [("*", "revenue")]


def test_bom_blank_lines_quoted_fields_and_header_case_are_accepted(tmp_path):
    path = write(tmp_path, "c.csv", "\ufeffMonth, Team ,measure,value,currency,responses\r\n\r\n"
                 "2026-03,checkout,csat,\"87.5\",,120\r\n\r\n")
    assert run(tmp_path, path)["monthly_measures"] == 1
    [row] = payloads(tmp_path)
    assert (row["month"], row["measure"], row["value"], row["currency"], row["responses"], row["line"]) == (
        "2026-03", "csat", "87.5", None, "120", 3)


# --- settings --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("scopes", "currency", "message"), [
    ([{"name": "a", "paths": ["x.csv"], "measures": ["revenue"]}, {"name": "b", "paths": ["y.csv"]}], "EUR",
     "sources[0]: measure 'revenue' is in scopes 'a' and 'b'; expected each measure in one scope (list `measures:` "
     "per scope)"),
    ([{"name": "a", "paths": ["x.csv"], "measures": ["revenues"]}], "EUR",
     "sources[0].scopes[0].measures: got 'revenues', expected measures from ai_tool_spend, infrastructure_spend, "
     "revenue, headcount, csat, nps"),
    ([{"name": "a", "paths": ["x.csv"]}], "euro",
     "sources[0].currency: got 'euro', expected a three-letter currency code like EUR"),
])
def test_settings_errors_name_the_key(scopes, currency, message):
    with pytest.raises(ConfigError) as error:
        validate(BusinessSettings, {"name": "f", "kind": "business", "currency": currency, "scopes": scopes},
                 ("sources", 0))
    assert str(error.value) == message


# --- landing and loading ---------------------------------------------------------------------------------

def load(tmp_path: Path, conn: duckdb.DuckDBPyConnection):
    return load_landing(conn, tmp_path / "landing", CursorStore(tmp_path / "state"), streams_by_kind())


def measures_in_raw(conn) -> list[tuple]:
    return conn.execute("""select scope, record_id, payload ->> 'value', payload ->> 'snapshot'
                           from raw.business__monthly_measures order by all""").fetchall()


def test_load_twice_changes_nothing_and_only_a_changed_file_re_lands(tmp_path):
    path = write(tmp_path, "spend.csv", HEADER + "2026-01,checkout,ai_tool_spend,10,EUR,\n"
                 "2026-01,ledger,ai_tool_spend,x,EUR,\n2026-02,checkout,ai_tool_spend,12,EUR,\n")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    run(tmp_path, path, run_id="r1")
    first = load(tmp_path, conn)
    assert (first.inserted, first.quarantined) == (3, 1)  # two rows and the snapshot record; one bad row
    assert conn.execute("select scope, line_number, reason from raw._quarantine").fetchall() == [
        ("spend", 2, f"{path} line 3, column 4 (value): got 'x', expected a number like 1234.50 (a dot for "
                     "decimals, no thousands separators)")]
    before = measures_in_raw(conn)
    assert load(tmp_path, conn).inserted == 0

    assert run(tmp_path, path, run_id="r2") == {"monthly_measures": 0, "snapshots": 0}  # unchanged: nothing lands
    assert load(tmp_path, conn).files == 0 and measures_in_raw(conn) == before

    path.write_text(HEADER + "2026-01,checkout,ai_tool_spend,10,EUR,\n")  # one row fixed away, one deleted
    assert run(tmp_path, path, run_id="r3") == {"monthly_measures": 1, "snapshots": 1}
    load(tmp_path, conn)
    [(snapshot,)] = conn.execute("""select payload ->> 'snapshot' from raw.business__snapshots
                                    qualify row_number() over (order by extracted_at desc) = 1""").fetchall()
    latest = [r for r in measures_in_raw(conn) if r[3] == snapshot]
    assert [(r[1], r[2]) for r in latest] == [("2026-01|checkout|ai_tool_spend", "10")]


def test_a_new_team_in_the_config_re_lands_rows_it_makes_valid(tmp_path):
    path = write(tmp_path, "spend.csv", HEADER + "2026-01,growth,ai_tool_spend,10,EUR,\n")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert run(tmp_path, path, run_id="r1")["monthly_measures"] == 0
    load(tmp_path, conn)
    assert run(tmp_path, path, run_id="r2", teams=(*TEAMS, "growth"))["monthly_measures"] == 1
