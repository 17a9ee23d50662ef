"""Regressions the story injects into the latest complete week, so the alerts have a known answer.

The alert rule (METRICS.md "Alerts") reads the week before the last week of data; each regression below
is designed to move exactly one alerting metric of its team in that week.
"""

DEPLOY_FREEZE = "deploy_freeze"  # no production deployment in the week: deployments fall to zero
BAD_DEPLOYS = "bad_deploys"  # nearly every production deployment of the week causes an incident
BAD_DEPLOY_INCIDENT_RATE = 0.9

# the demo teams (and the tiny profile's, which are the same teams)
DEMO_REGRESSIONS = {"checkout": DEPLOY_FREEZE, "ledger": BAD_DEPLOYS}


def regression_week(weeks: int) -> int:
    """The latest complete week of a window of `weeks` weeks (the last one is taken as in progress)."""
    return weeks - 2


# the one alert each regression raises (METRICS.md "Alerts")
ALERTED_METRIC = {DEPLOY_FREEZE: "deployments", BAD_DEPLOYS: "change_failure_rate"}
