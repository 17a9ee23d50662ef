"""dbt's documentation site for the published BI snapshot, published beside it.

`dbt docs generate` runs against the published snapshot, not the live warehouse: its catalog then lists the
tables and columns BI actually reads, and it never holds the live file's lock (the next load or transform
does not wait for it). The snapshot is attached read-only through a profile of its own (dbt-duckdb opens
its main `path` read-write, which a BI reader holding the snapshot open would refuse), so dashboards can keep
the file open meanwhile.

<published dir>/docs is a symlink to a hidden sibling folder holding one generation (index.html with the
manifest and catalog inlined, so it opens from disk; manifest.json and catalog.json for tools); a new
generation is swapped in by renaming a new symlink over it, so a reader always sees one whole generation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from extractors.core.config import Config
from extractors.core.errors import TransformError
from extractors.dbt_runner import dbt_command, dbt_env, failure_message, metrics_vars, run_dbt

log = logging.getLogger(__name__)
DOCS_FILES = {"static_index.html": "index.html", "manifest.json": "manifest.json", "catalog.json": "catalog.json"}

# The snapshot attached read-only under its own name (the database name BI sees when it opens the file);
# `:memory:` holds nothing, dbt-duckdb needs a main database to attach to.
_PROFILE = """\
delivery_warehouse:
  target: published
  outputs:
    published:
      type: duckdb
      path: ":memory:"
      database: "{{ env_var('DELIVERY_DOCS_DATABASE') }}"
      attach:
        - path: "{{ env_var('DELIVERY_PUBLISHED_PATH') }}"
          alias: "{{ env_var('DELIVERY_DOCS_DATABASE') }}"
          read_only: true
      schema: main
      threads: 1
      settings:
        memory_limit: "{{ env_var('DELIVERY_DUCKDB_MEMORY_LIMIT', '2GB') }}"
"""


def publish_docs(config: Config) -> Path:
    """Generate dbt docs for `config.published_path` and publish them to `<its folder>/docs`; returns that path."""
    work = config.state_dir / "dbt" / "docs"
    target = work / "target"
    work.mkdir(parents=True, exist_ok=True)
    with _exclusive(work / ".lock"):  # one generation at a time shares the target folder (and dbt's partial parse)
        _generate(config, work, target)
        docs = config.published_path.parent / "docs"
        generation = docs.with_name(f".docs-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{os.getpid()}")
        generation.mkdir(parents=True)
        for built, published in DOCS_FILES.items():
            shutil.copyfile(target / built, generation / published)
        swap_in(generation, docs)
    return docs


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """An advisory lock the kernel releases when the holder dies, so a killed run never leaves it held."""
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _generate(config: Config, work: Path, target: Path) -> None:
    if not config.published_path.exists():
        raise TransformError(f"no published snapshot at {config.published_path} to document (publish first)")
    profiles_dir = work / "profile"
    profiles_dir.mkdir(exist_ok=True)
    (profiles_dir / "profiles.yml").write_text(_PROFILE)
    env = {
        **dbt_env(config, target),
        "DELIVERY_PUBLISHED_PATH": str(config.published_path),
        "DELIVERY_DOCS_DATABASE": config.published_path.stem,
    }
    # the config's `metrics:` as --vars, as the build had them
    command = dbt_command("docs", "generate", "--static", *metrics_vars(config), profiles_dir=profiles_dir)
    result = run_dbt(command, env)
    if result.returncode != 0:
        raise failure_message("dbt docs generate", result, env)


def swap_in(generation: Path, docs: Path) -> None:
    """Point `docs` at `generation` (a sibling folder) in one atomic rename, then remove the generations
    before the one it replaced (a reader that resolved the old link a moment ago can still finish)."""
    previous = os.readlink(docs) if docs.is_symlink() else None
    for leftover in docs.parent.glob(f".{docs.name}.*.link"):  # a killed swap's (callers hold the lock)
        leftover.unlink(missing_ok=True)
    link = docs.with_name(f".{docs.name}.{os.getpid()}.link")
    link.symlink_to(generation.name)  # relative: the folder can be mounted elsewhere (a BI container)
    if docs.is_dir() and not docs.is_symlink():  # a plain folder cannot be renamed over; replace it once
        shutil.rmtree(docs)
    os.replace(link, docs)
    for old in docs.parent.glob(f".{docs.name}-*"):
        if old.is_dir() and old.name not in (generation.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    log.info("published dbt docs: %s -> %s", docs, generation.name)
