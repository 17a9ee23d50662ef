"""Which streams each source kind lands; the loader creates a raw table for every one of them."""

from extractors.git import STREAMS as GIT_STREAMS
from extractors.github import STREAMS as GITHUB_STREAMS

STREAMS_BY_KIND: dict[str, list[str]] = {"github": list(GITHUB_STREAMS), "git": list(GIT_STREAMS)}
