"""Read what an extractor landed (records and manifests) in a test's landing folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def landed(tmp_path: Path, stream: str) -> list[dict]:
    lines = []
    for path in sorted((tmp_path / "landing").glob(f"*/{stream}/*/*.jsonl.gz")):
        with gzip.open(path) as handle:
            lines += [json.loads(line) for line in handle]
    return lines


def manifests(tmp_path: Path, stream: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in (tmp_path / "landing").glob(f"*/{stream}/*/*.manifest.json")]
