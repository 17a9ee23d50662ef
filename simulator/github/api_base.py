"""Request/Reply plumbing shared by the endpoint modules: errors, paging, repository lookup."""

import sqlite3
from dataclasses import dataclass, field

from simulator.github.directory import Directory
from simulator.github.pagination import link_header, page_params
from simulator.github.urls import Urls

DOCS = "https://docs.github.com/rest"


@dataclass
class Reply:
    status: int
    body: object
    headers: dict = field(default_factory=dict)


@dataclass
class Request:
    conn: sqlite3.Connection
    directory: Directory
    urls: Urls
    url: str  # absolute URL of this path, without query (for Link headers)
    query: dict


class NotFound(Exception):
    pass


def error(status: int, message: str, docs: str = DOCS) -> Reply:
    return Reply(status, {"message": message, "documentation_url": docs, "status": str(status)})


def listing(req: Request, sql: str, params: list, render) -> tuple[list, int, dict]:
    """One page of `sql`; the COUNT lets the Link header name the last page, as GitHub does."""
    page, per_page = page_params(req.query)
    total = req.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    rows = req.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page])
    items = [render(r) for r in rows.fetchall()]
    keep = {k: v for k, v in req.query.items() if k not in ("page", "per_page")}
    link = link_header(req.url, keep, page, per_page, total)
    return items, total, ({"Link": link} if link else {})


def list_reply(req: Request, sql: str, params: list, render) -> Reply:
    items, _, headers = listing(req, sql, params, render)
    return Reply(200, items, headers)


def find_repo(req: Request, owner: str, name: str):
    row = req.conn.execute(
        "SELECT * FROM repos WHERE full_name = ? COLLATE NOCASE", (f"{owner}/{name}",)
    ).fetchone()
    if row is None:
        raise NotFound
    return row


def sort_direction(req: Request, default: str) -> str:
    return "ASC" if req.query.get("direction", default).lower() == "asc" else "DESC"

