"""The app's filters (team, period, repository/service), settable from the sidebar or the URL.

The URL's query parameters (?team=ledger&weeks=12&repository=acme/ledger-core) set the widgets on a first
visit, and every change in the sidebar is written back, so a filtered view is a link that can be shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

ALL = "all"
PERIODS = {"4": "last 4 weeks", "12": "last 12 weeks", "26": "last 26 weeks", ALL: "all weeks"}
DEFAULT_WEEKS = "12"


@dataclass(frozen=True)
class Filters:
    teams: tuple[str, ...]  # the selected team, or every team
    first_week: dt.date
    last_week: dt.date
    repository: str | None

    def week_params(self) -> list:
        return [self.first_week, self.last_week]


def _from_url(name: str, options: list[str], default: str) -> str:
    value = st.query_params.get(name, default)
    return value if value in options else default


def _select(label: str, name: str, options: list[str], default: str, format_func=str) -> str:
    """A sidebar selectbox whose first value comes from the URL and whose changes go back into it."""
    key = f"filter_{name}"
    if key not in st.session_state:
        st.session_state[key] = _from_url(name, options, default)
    elif st.session_state[key] not in options:  # e.g. a repository of a team no longer selected
        st.session_state[key] = default
    choice = st.sidebar.selectbox(label, options, key=key, format_func=format_func)
    if choice == default:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = choice
    return choice


def sidebar_filters(teams: dict[str, str], repositories: dict[str, str], weeks: list[dt.date]) -> Filters:
    """teams: key -> display name; repositories: repository -> its team; weeks: every report week, ascending."""
    team = _select("Team", "team", [ALL, *teams], ALL, format_func=lambda key: teams.get(key, "all teams"))
    period = _select("Period", "weeks", list(PERIODS), DEFAULT_WEEKS, format_func=PERIODS.get)
    in_scope = [repo for repo, owner in sorted(repositories.items()) if team in (ALL, owner)]
    repository = _select("Repository / service", "repository", [ALL, *in_scope], ALL)
    last = weeks[-1]
    first = weeks[0] if period == ALL else max(weeks[0], last - dt.timedelta(weeks=int(period) - 1))
    return Filters(
        teams=tuple(sorted(teams)) if team == ALL else (team,),
        first_week=first,
        last_week=last,
        repository=None if repository == ALL else repository,
    )
