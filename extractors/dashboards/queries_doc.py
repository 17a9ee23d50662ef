"""docs/BI.md's list of ready-made queries, generated from queries.py so the two never drift.

`python -m extractors.dashboards.queries_doc docs/BI.md` rewrites the part between the markers; a unit
test fails when the file differs from what this module would write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from extractors.dashboards.queries import QUERIES
from extractors.dashboards.rules import github_slug

START = (
    "<!-- ready-made queries: generated from extractors/dashboards/queries.py by "
    "`python -m extractors.dashboards.queries_doc docs/BI.md`; edit queries.py, not this part -->"
)
END = "<!-- end of the ready-made queries -->"


def markdown() -> str:
    index = "\n".join(
        f"| [`{q.name}`](#{github_slug(q.name)}) | {q.title} | "
        f"[{q.metrics_section}](../METRICS.md#{github_slug(q.metrics_section)}) |"
        for q in QUERIES.values()
    )
    parts = [f"| Query | What it returns | Rule (METRICS.md) |\n|---|---|---|\n{index}"]
    for query in QUERIES.values():
        parts.append(
            f"### {query.name}\n{query.title}.\n\nColumns: {', '.join(f'`{c}`' for c in query.columns)}.\n\n"
            f"```sql\n{query.sql.strip()}\n```"
        )
    return "\n\n".join(parts)


def rewritten(text: str) -> str:
    """`text` with the generated part replaced; the markers must be there already."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not (start and end):
        raise ValueError(f"the markers {START!r} and {END!r} are not both in the file")
    return f"{head}{START}\n{markdown()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/BI.md")
    path.write_text(rewritten(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
