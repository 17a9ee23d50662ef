"""Where each repository's deployments come from: the config's `deployments.rules` (METRICS.md "Deployments").

A repository takes the first rule without a `service` whose `repositories` globs match it, and each of its
services (METRICS.md "Services") the first rule naming that service; a repository no rule matches at all
deploys through GitHub's Deployments API (`via: github_deployments`); `via: pushed_events` takes the
deployment events other tools push (docs/EVENTS.md) that name the repository; `via: github_releases` takes
its published GitHub releases whose tag matches the rule's `tag` glob (libraries, mobile apps). One source
per repository or service on purpose: a workflow job that names an `environment` also makes GitHub create a
Deployment, so reading both would count twice.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from extractors.core.settings import StrictModel, Text

DEPLOYMENTS_API = "github_deployments"
# why a source reads fields from its rule (for the error when one is missing); a source not here reads none
PURPOSE = {"github_actions": "which runs deploy, and where", "github_releases": "which releases deploy, and where"}


def _read_by(*via: str, needed: bool = False, **field: Any) -> Any:
    """A rule field that only the `via` sources read (each of them needs it when `needed`)."""
    return Field(None, json_schema_extra={"read_by": list(via), "needed": needed}, **field)


class DeploymentRule(StrictModel):
    # `owner/name` globs (* ? [..]), e.g. acme/ledger-* ; matched without regard to case, like GitHub names
    repositories: tuple[Text, ...] = Field(min_length=1)
    via: Literal["github_deployments", "github_actions", "pushed_events", "github_releases"]
    # the configured service (services[].name) whose deployments these are; unset: the repository's own. A
    # monorepo has one rule per service (e.g. one deploy workflow each)
    service: Text | None = None
    # github_actions: a completed run of a matching workflow is a deployment attempt, a successful one deploys
    # glob on the workflow file path (.github/workflows/deploy.yml) or its name
    workflow: Text | None = _read_by("github_actions", needed=True)
    branch: Text | None = _read_by("github_actions")  # the run's head branch; unset: any
    events: tuple[Text, ...] | None = _read_by("github_actions", min_length=1)  # what triggered the run; unset: any
    # github_releases: a published release whose tag name matches deploys; drafts never, prereleases if asked
    tag: Text | None = _read_by("github_releases", needed=True)  # glob on the tag name (v*), case-sensitive
    prereleases: bool | None = _read_by("github_releases")  # true: prereleases deploy too; unset or false: not
    # the environment a matching run or release deploys to
    environment: Text | None = _read_by("github_actions", "github_releases", needed=True)
    # github_actions: glob on a job's name (deploy*), ignoring case; set, the deployment is each matching job of
    # the run's latest attempt, not the run (a failed test job in a build/test/deploy workflow deployed nothing)
    job: Text | None = _read_by("github_actions")

    @model_validator(mode="after")
    def _fields_fit_the_source(self) -> DeploymentRule:
        fields = type(self).model_fields
        reads = {name: extra for name, info in fields.items() if isinstance(extra := info.json_schema_extra, dict)
                 and self.via in extra["read_by"]}  # fmt: skip
        given = [name for name in fields if name not in ("repositories", "via", "service")
                 and getattr(self, name) is not None]  # fmt: skip
        if missing := [name for name, extra in reads.items() if extra["needed"] and getattr(self, name) is None]:
            raise ValueError(f"via {self.via} needs {' and '.join(missing)} ({PURPOSE[self.via]})")
        if extra := [name for name in given if name not in reads]:
            reason = f"it reads {', '.join(reads)}" if reads else "each deployment names its environment and sha itself"
            raise ValueError(f"via {self.via} takes no {', '.join(extra)}: {reason}")
        return self


class Deployments(StrictModel):
    production_environments: tuple[Text, ...] = Field(("production",), min_length=1)
    rules: tuple[DeploymentRule, ...] = ()


def rule_rows(rules: tuple[DeploymentRule, ...]) -> list[tuple]:
    """raw.config__deployment_rules: one row per (rule, repository glob), in the config's order."""
    return [
        (index, pattern, rule.via, rule.workflow, rule.branch, list(rule.events) if rule.events else None,
         rule.environment, rule.tag, bool(rule.prereleases), rule.service, rule.job)
        for index, rule in enumerate(rules)
        for pattern in rule.repositories
    ]  # fmt: skip
