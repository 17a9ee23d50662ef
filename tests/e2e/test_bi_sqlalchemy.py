"""The path Superset (and any SQLAlchemy tool) takes: duckdb-engine on the published file, read-only, every
ready-made query of docs/BI.md returning rows with its declared columns."""

from __future__ import annotations

import pytest
import sqlalchemy

from extractors.dashboards.queries import QUERIES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def engine(demo_published):
    # the URL and connect args docs/BI.md gives for Superset
    engine = sqlalchemy.create_engine(f"duckdb:///{demo_published}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_ready_made_query_runs_through_sqlalchemy(engine, name):
    query = QUERIES[name]
    with engine.connect() as conn:
        result = conn.execute(sqlalchemy.text(query.sql))
        columns, rows = list(result.keys()), result.fetchall()
    assert tuple(columns) == query.columns
    assert rows, f"{name} returned no rows on the demo org"


def test_the_connection_is_read_only(engine):
    with engine.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
        conn.execute(sqlalchemy.text("create table marts.bi_scratch (x integer)"))
