"""Local git extractor: full history streamed from `git log`, incremental by reachability."""

from extractors.git.source import STREAMS, extract_git_repository

__all__ = ["STREAMS", "extract_git_repository"]
