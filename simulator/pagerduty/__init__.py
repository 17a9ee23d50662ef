"""A PagerDuty REST API v2 account (served under /pagerduty) over the generated incidents."""
