"""Where things live: the API root and the web root of the simulated GitHub."""

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class Urls:
    api: str  # e.g. http://127.0.0.1:8765 or http://127.0.0.1:8765/api/v3
    web: str  # html_url root

    def repo(self, full_name: str) -> str:
        return f"{self.api}/repos/{full_name}"

    def html(self, full_name: str) -> str:
        return f"{self.web}/{full_name}"


def node_id(kind: str, ident) -> str:
    """GitHub's legacy global ids: base64 of `0<len(kind)>:<kind><id>`."""
    return base64.b64encode(f"0{len(kind)}:{kind}{ident}".encode()).decode()
