"""GitHub REST extractor (github.com or GitHub Enterprise via base_url)."""

from extractors.github.source import STREAMS, discover_repositories, extract_repository

__all__ = ["STREAMS", "discover_repositories", "extract_repository"]
