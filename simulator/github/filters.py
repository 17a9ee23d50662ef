"""Query-string filters shared by the list endpoints."""

from simulator.timeutil import DAY, parse_iso


def _bound(text: str, upper: bool) -> int:
    """A date-only upper bound includes the whole day, as in GitHub's search syntax."""
    ts = parse_iso(text)
    return ts + DAY - 1 if upper and len(text.strip()) == 10 else ts


def created_range(expr: str | None) -> tuple[int | None, int | None]:
    """`>=X`, `>X`, `<=X`, `<X`, `A..B`, `X..*`, `*..X` or a bare date -> inclusive (low, high)."""
    if not expr:
        return None, None
    expr = expr.strip()
    if ".." in expr:
        lo, hi = expr.split("..", 1)
        return (None if lo in ("", "*") else _bound(lo, False)), (None if hi in ("", "*") else _bound(hi, True))
    for op in (">=", "<=", ">", "<"):
        if expr.startswith(op):
            value = expr[len(op) :]
            if op == ">=":
                return _bound(value, False), None
            if op == ">":
                return _bound(value, True) + 1, None
            if op == "<=":
                return None, _bound(value, True)
            return None, _bound(value, False) - 1
    return _bound(expr, False), _bound(expr, True)


def since_until(query: dict) -> tuple[int | None, int | None]:
    since = parse_iso(query["since"]) if query.get("since") else None
    until = parse_iso(query["until"]) if query.get("until") else None
    return since, until
