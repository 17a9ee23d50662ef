"""Where each repository's deployments come from: the config's `deployments.rules` (METRICS.md "Deployments").

A repository takes the first rule whose `repositories` globs match it; with none, its deployments are
GitHub's Deployments API (`via: github_deployments`); `via: pushed_events` takes the deployment events other
tools push (docs/EVENTS.md) that name the repository. One source per repository on purpose: a workflow job
that names an `environment` also makes GitHub create a Deployment, so reading both would count twice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from extractors.core.settings import StrictModel, Text

DEPLOYMENTS_API = "github_deployments"


class DeploymentRule(StrictModel):
    # `owner/name` globs (* ? [..]), e.g. acme/ledger-* ; matched without regard to case, like GitHub names
    repositories: tuple[Text, ...] = Field(min_length=1)
    via: Literal["github_deployments", "github_actions", "pushed_events"]
    # github_actions: a completed run of a matching workflow is a deployment attempt, a successful one deploys
    workflow: Text | None = None  # glob on the workflow file path (.github/workflows/deploy.yml) or its name
    branch: Text | None = None  # the run's head branch; unset: any
    events: tuple[Text, ...] | None = Field(None, min_length=1)  # what triggered the run (push, ...); unset: any
    environment: Text | None = None  # the environment a matching run deploys to

    @model_validator(mode="after")
    def _fields_fit_the_source(self) -> DeploymentRule:
        actions_fields = self.model_dump(exclude={"repositories", "via"})  # what only github_actions takes
        if self.via == "github_actions":
            missing = [name for name in ("workflow", "environment") if actions_fields[name] is None]
            if missing:
                raise ValueError(f"via github_actions needs {' and '.join(missing)} (which runs deploy, and where)")
        elif extra := [name for name, value in actions_fields.items() if value is not None]:
            raise ValueError(
                f"via {self.via} takes no {', '.join(extra)}: each deployment names its environment and sha itself"
            )
        return self


class Deployments(StrictModel):
    production_environments: tuple[Text, ...] = Field(("production",), min_length=1)
    rules: tuple[DeploymentRule, ...] = ()


def rule_rows(rules: tuple[DeploymentRule, ...]) -> list[tuple]:
    """raw.config__deployment_rules: one row per (rule, repository glob), in the config's order."""
    return [
        (index, pattern, rule.via, rule.workflow, rule.branch, list(rule.events) if rule.events else None,
         rule.environment)
        for index, rule in enumerate(rules)
        for pattern in rule.repositories
    ]  # fmt: skip
