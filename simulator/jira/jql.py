"""The JQL the extractor needs: project filters, date bounds, AND, ORDER BY. Anything else is a 400.

project = CHK AND updated >= "2026/03/29 02:30" AND updated < "2026/03/30" ORDER BY updated ASC, key ASC
"""

import re
from dataclasses import dataclass, field

from simulator.jira.timefmt import DATE_FORMATS, parse_literal

_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|(>=|<=|!=|[=<>(),])|([^\s=<>!(),"\']+))')
DATE_FIELDS = {"updated": "updated_at", "updateddate": "updated_at", "created": "created_at",
               "createddate": "created_at", "resolved": "resolved_at", "resolutiondate": "resolved_at"}  # fmt: skip
ORDER_FIELDS = {"updated": ["w.updated_at"], "updateddate": ["w.updated_at"], "created": ["w.created_at"],
                "createddate": ["w.created_at"], "key": ["w.project_key", "w.number"], "id": ["w.id"],
                "issuekey": ["w.project_key", "w.number"]}  # fmt: skip
OPERATORS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "="}


class JqlError(ValueError):
    pass


@dataclass
class Query:
    projects: list[str] = field(default_factory=list)  # empty: no project clause
    bounds: list[tuple[str, str, int]] = field(default_factory=list)  # (column, operator, epoch seconds)
    order: list[tuple[str, str]] = field(default_factory=list)  # (sql column, ASC|DESC)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) with kind q (quoted), op or word."""
    out, pos = [], 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise JqlError(f"Error in the JQL Query: The character '{text[pos:].strip()[0]}' is a reserved JQL "
                           f"character. (line 1, character {pos + 1})")  # fmt: skip
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        if quoted is not None:
            out.append(("q", quoted))
        elif m.group(3):
            out.append(("op", m.group(3)))
        else:
            out.append(("word", m.group(4)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks, self.i = _tokens(text), 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise JqlError("Error in the JQL Query: Expecting a value but reached the end of the query.")
        self.i += 1
        return tok

    def is_word(self, word: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok[0] == "word" and tok[1].lower() == word

    def expect_op(self, op: str) -> None:
        kind, value = self.take()
        if kind != "op" or value != op:
            raise JqlError(f"Error in the JQL Query: Expecting '{op}' but got '{value}'.")

    def value(self) -> str:
        kind, value = self.take()
        if kind == "op":
            raise JqlError(f"Error in the JQL Query: Expecting either a value, list or function but got '{value}'.")
        return value


def parse(text: str) -> Query:
    p, q = _Parser(text or ""), Query()
    while p.peek() is not None and not p.is_word("order"):
        if q.projects or q.bounds:
            if not p.is_word("and"):
                raise JqlError(f"Error in the JQL Query: Expecting 'AND' (the simulator supports only AND), "
                               f"got '{p.peek()[1]}'.")  # fmt: skip
            p.take()
        _clause(p, q)
    if p.is_word("order"):
        p.take()
        if not p.is_word("by"):
            raise JqlError("Error in the JQL Query: Expecting 'by' after 'order'.")
        p.take()
        while True:
            name = p.value().lower()
            if name not in ORDER_FIELDS:
                raise JqlError(f"Not able to sort using field '{name}'.")
            direction = "ASC"
            if p.is_word("asc") or p.is_word("desc"):
                direction = p.take()[1].upper()
            q.order += [(col, direction) for col in ORDER_FIELDS[name]]
            if p.peek() is None:
                break
            p.expect_op(",")
    if not q.projects and not q.bounds:
        raise JqlError("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
    return q


def _clause(p: _Parser, q: Query) -> None:
    name = p.value()
    lname = name.lower()
    if lname == "project":
        kind, op = p.take()
        if kind == "op" and op == "=":
            q.projects.append(p.value())
        elif kind == "word" and op.lower() == "in":
            p.expect_op("(")
            q.projects.append(p.value())
            while p.peek() == ("op", ","):
                p.take()
                q.projects.append(p.value())
            p.expect_op(")")
        else:
            raise JqlError(f"Error in the JQL Query: the simulator supports 'project =' and 'project in', not '{op}'.")
    elif lname in DATE_FIELDS:
        kind, op = p.take()
        if kind != "op" or op not in OPERATORS:
            raise JqlError(f"Error in the JQL Query: the simulator supports >=, >, <=, < and = on '{name}'.")
        literal = p.value()
        try:
            when = parse_literal(literal)
        except ValueError:
            message = (f"Date value '{literal}' for field '{name}' is invalid. Valid formats include: {DATE_FORMATS}, "
                       "or a period format e.g. '-5d', '4w 2d' (here: absolute dates only).")  # fmt: skip
            raise JqlError(message) from None
        q.bounds.append((DATE_FIELDS[lname], OPERATORS[op], when))
    else:
        raise JqlError(f"Error in the JQL Query: the simulator does not support the field '{name}' "
                       "(supported: project, updated, created, resolved, ORDER BY).")  # fmt: skip
