"""Local git extractor: full history streamed from `git log`, incremental by reachability."""

from extractors.core.source_kind import SourceKind
from extractors.git import runner
from extractors.git.settings import GitSettings
from extractors.git.source import COMMITS

SOURCE_KIND = SourceKind(
    name="git",
    settings=GitSettings,
    streams=(COMMITS,),
    plan=runner.plan,
    extract=runner.extract,
    schedule="30 3 * * *",
    description="Local git repositories: every commit with its numstat, no network",
    commit_file_streams=(COMMITS.name,),
)
