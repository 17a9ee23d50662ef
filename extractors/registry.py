"""Which streams each source kind lands; the loader creates a raw table for every one of them."""

from extractors.git import STREAMS as GIT_STREAMS
from extractors.github import STREAMS as GITHUB_STREAMS
from extractors.jira import STREAMS as JIRA_STREAMS
from extractors.pagerduty import STREAMS as PAGERDUTY_STREAMS

STREAMS_BY_KIND: dict[str, list[str]] = {
    "github": list(GITHUB_STREAMS),
    "git": list(GIT_STREAMS),
    "jira": list(JIRA_STREAMS),
    "pagerduty": list(PAGERDUTY_STREAMS),
}
