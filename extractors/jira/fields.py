"""The story points and sprint custom fields: default names, and a check of the configured ones.

Resolving names to field ids is the dbt side's job (raw.config__jira_fields beside raw.jira__fields);
the extractor only warns early when a configured name matches nothing on the site.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
DEFAULT_FIELD_NAMES = {"story_points": ("Story Points", "Story point estimate"), "sprint": ("Sprint",)}


def check_fields(available: list[dict[str, Any]], configured: dict[str, str]) -> list[str]:
    """Warn (naming the custom fields there are) when a configured field name or id matches nothing."""
    known = {str(f.get(k, "")).lower() for f in available for k in ("id", "name")}
    missing = [f"{role}={name!r}" for role, name in configured.items() if name.lower() not in known]
    for role, names in DEFAULT_FIELD_NAMES.items():
        if role not in configured and not any(n.lower() in known for n in names):
            log.info("jira: no %s field named %s on this site; %s stays empty", role, " or ".join(names), role)
    if missing:
        custom = sorted(str(f.get("name")) for f in available if f.get("custom"))
        log.warning(
            "jira: configured fields %s match no field on this site (by name or id); custom fields there: %s",
            ", ".join(missing),
            ", ".join(custom) or "none",
        )
    return missing
