"""Jira Cloud streams declared as data: path, primary key, how each is read.

- full: small lists landed whole once per run in the plan step (scope `site`).
- updated: issues by a JQL `updated` window (see jql.py); the cursor is the max `updated` landed.
- child: changelog histories of the issues landed in the same run (parent_id = issue id).
"""

from __future__ import annotations

from extractors.core.source_kind import Stream

SITE_SCOPE = "site"  # scope of the site-wide streams (projects, statuses, fields)

PROJECTS = Stream("projects", "/rest/api/3/project/search", "id", "full", items_key="values")
STATUSES = Stream("statuses", "/rest/api/3/status", "id", "full")
FIELDS = Stream("fields", "/rest/api/3/field", "id", "full")
ISSUES = Stream("issues", "/rest/api/3/search/jql", "id", "updated", items_key="issues")
ISSUE_CHANGELOGS = Stream("issue_changelogs", "/rest/api/3/issue/{key}/changelog", "id", "child", items_key="values")
MYSELF_PATH = "/rest/api/3/myself"  # read for the user's timezone only, never landed

SITE_STREAMS = (PROJECTS, STATUSES, FIELDS)
ALL_STREAMS = (*SITE_STREAMS, ISSUES, ISSUE_CHANGELOGS)
