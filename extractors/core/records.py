"""What a page's list holds is not trusted: every record must be a JSON object.

A list item that is an array, a string or a number cannot be a record; it is quarantined into the landing
file (raw._quarantine after the load) with its type, and the rest of the page is landed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from extractors.core.landing import LandingWriter


def objects(items: Iterable[Any], writer: LandingWriter) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item
        else:
            writer.quarantine(f"expected a JSON object in the list, got {type(item).__name__}", json.dumps(item))
