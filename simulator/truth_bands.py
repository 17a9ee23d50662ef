"""DORA performance bands (the seed `dora_bands`): the 2023 and 2024 State of DevOps cluster tables.

A null threshold is "everything else" (low). Deployment frequency (the deploy days in the week of the
team's busiest service) is banded by threshold <= value, the other metrics by threshold >= value, or
threshold > value where the report says "less than" (STRICT); the first of elite, high, medium, low that
matches wins, so where the published clusters overlap the better band wins.
"""

BANDS = ("elite", "high", "medium", "low")
THRESHOLDS = {
    2023: {
        "deployment_frequency": (5.0, 1.0, 12 / 52, 0.0),
        "lead_time_hours": (24.0, 168.0, 720.0, None),
        "change_failure_rate": (0.05, 0.10, 0.15, None),
        "recovery_time_hours": (1.0, 24.0, 168.0, None),
    },
    2024: {
        "deployment_frequency": (5.0, 1.0, 12 / 52, 0.0),
        "lead_time_hours": (24.0, 168.0, 720.0, None),
        "change_failure_rate": (0.05, 0.20, 0.10, None),
        "recovery_time_hours": (1.0, 24.0, 24.0, None),
    },
}
# "less than one day / one hour": the value must be below the threshold (year -> metric -> bands)
STRICT = {
    2023: {"lead_time_hours": {"elite"}, "recovery_time_hours": {"elite", "high"}},
    2024: {"lead_time_hours": {"elite"}, "recovery_time_hours": {"elite", "high", "medium"}},
}
BAND_COLUMNS = {  # report column -> (metric, the report column it bands)
    "deployment_frequency_band": ("deployment_frequency", "busiest_service_deploy_days"),
    "lead_time_band": ("lead_time_hours", "lead_time_p50_hours"),
    "change_failure_rate_band": ("change_failure_rate", "change_failure_rate"),
    "recovery_time_band": ("recovery_time_hours", "recovery_time_p50_hours"),
}


def band(metric: str, value: float | None, year: int = 2024) -> str | None:
    if value is None:
        return None
    for name, threshold in zip(BANDS, THRESHOLDS[year][metric], strict=True):
        if threshold is None:
            return name
        if metric == "deployment_frequency":
            reached = value >= threshold
        elif name in STRICT[year].get(metric, ()):
            reached = value < threshold
        else:
            reached = value <= threshold
        if reached:
            return name
    return None


def columns(row: dict, year: int = 2024) -> dict:
    return {col: band(metric, row[source], year) for col, (metric, source) in BAND_COLUMNS.items()}
