"""Jira Cloud extractor (site URL configurable; a Server/Data Center base URL with a context path works too).

Kept import-light: the config validator reads issue_types from here.
"""

from extractors.jira.streams import STREAMS

__all__ = ["STREAMS"]
