"""The METRICS.md rules the report's charts follow, carried inside the report.

A mailed HTML file has no repository beside it: a relative link to METRICS.md would be dead, and a link to
a hosted copy needs the network and may show a newer rule than the one that computed these numbers. So the
report appends the text of every section it cites, as it stands in the checkout that wrote the report, and
each chart links to that copy with an in-page anchor (`#rule-...`); the anchor's suffix is the GitHub
heading slug, so the same words find the section in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

METRICS_MD = Path(__file__).resolve().parents[2] / "METRICS.md"  # beside extractors/, as dbt_project/ is


def github_slug(heading: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped (hyphens and underscores kept), spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def rule_anchor(heading: str) -> str:
    return f"rule-{github_slug(heading)}"


def metrics_sections(text: str) -> dict[str, str]:
    """Each heading of METRICS.md (without its #s) -> its text up to the next heading of any level."""
    sections: dict[str, str] = {}
    heading, lines = None, []
    for line in text.splitlines():
        match = re.match(r"^#{1,6} (.+)$", line)
        if match:
            if heading is not None:
                sections[heading] = "\n".join(lines).strip()
            heading, lines = match.group(1).strip(), []
        else:
            lines.append(line)
    if heading is not None:
        sections[heading] = "\n".join(lines).strip()
    return sections


def read_metrics_sections(path: Path = METRICS_MD) -> dict[str, str]:
    """{} when METRICS.md is not beside the code (an installed wheel): the report then names the sections only."""
    try:
        return metrics_sections(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
