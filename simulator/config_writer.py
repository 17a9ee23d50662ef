"""write_pipeline_config(): the pipeline's YAML config (docs/CONTRACTS.md) for a generated org."""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import yaml

from simulator import pushed_events
from simulator.business import CURRENCY, CUSTOMER_MEASURES, FINANCE_MEASURES
from simulator.delivery import PRODUCTION_ENVIRONMENTS, RELEASES, service_paths, services
from simulator.github.server import SIM_TOKEN
from simulator.jira.ids import account_id
from simulator.pagerduty.ids import user_id

SIM_JIRA_USER = "delivery-warehouse@acme.test"  # any e-mail works for Basic auth; the token is what counts
MEMBER_KEYS = ("key", "name", "email", "github", "aliases", "from", "until")


def _member(m: dict, person_ids: dict[str, int]) -> dict:
    """A member with their Jira account id and PagerDuty user id appended to `aliases`: Jira hides some
    e-mails, so the account id is how the pipeline recognises those people."""
    out = {k: m[k] for k in MEMBER_KEYS if k in m}
    pid = person_ids.get(m["key"])
    if pid is not None:
        out["aliases"] = [*m.get("aliases", []), account_id(pid), user_id(pid)]
    return out


def sim_credentials() -> dict[str, str]:
    """The environment variables the config written with `base_url` names, with the simulator's values."""
    return {"SIM_GITHUB_TOKEN": SIM_TOKEN, "SIM_JIRA_TOKEN": SIM_TOKEN, "SIM_JIRA_USER": SIM_JIRA_USER,
            "SIM_PAGERDUTY_TOKEN": SIM_TOKEN}  # fmt: skip


def _vendor_sources(org: dict, base_url: str) -> list[dict]:
    projects = [t["work_project"] for t in org["teams"] if t.get("work_project")]
    return [
        {"name": "jira", "kind": "jira", "base_url": f"{base_url}/jira", "token_env": "SIM_JIRA_TOKEN",
         "user_env": "SIM_JIRA_USER", "scopes": [{"project": p} for p in projects]},
        {"name": "pagerduty", "kind": "pagerduty", "base_url": f"{base_url}/pagerduty",
         "token_env": "SIM_PAGERDUTY_TOKEN", "scopes": [{"account": org["org"]}]},
    ]  # fmt: skip


def _business_source(out_dir: Path) -> dict:
    """The finance and customer files simulator/business.py wrote, one scope per folder."""
    scopes = [{"name": "finance", "paths": [str(out_dir / "business" / "finance")], "measures": list(FINANCE_MEASURES)},
              {"name": "customer", "paths": [str(out_dir / "business" / "customer")],
               "measures": list(CUSTOMER_MEASURES)}]  # fmt: skip
    return {"name": "business", "kind": "business", "currency": CURRENCY, "scopes": scopes}


def _deployments(deploys_via: dict[str, str]) -> dict:
    """A rule per way of deploying that is not the Deployments API (the default): the Deploy workflow's runs
    on main, the deploy tool's pushed events, or published releases tagged v* (prereleases are staging)."""
    rules = {
        "actions": {"via": "github_actions", "workflow": ".github/workflows/deploy.yml", "branch": "main",
                    "environment": "production"},
        pushed_events.VIA: {"via": "pushed_events"},
        RELEASES: {"via": "github_releases", "tag": "v*", "environment": "production"},
    }  # fmt: skip
    found = [{"repositories": [r for r, via in deploys_via.items() if via == way], **rule}
             for way, rule in rules.items() if way in deploys_via.values()]  # fmt: skip
    return {"production_environments": list(PRODUCTION_ENVIRONMENTS), **({"rules": found} if found else {})}


def _events_source(out_dir: Path) -> dict:
    """The deploy tool's drop folder (simulator/pushed_events.py)."""
    return {"name": "deploy_events", "kind": "events", "drop_folder": str(out_dir / pushed_events.FOLDER)}


def write_pipeline_config(out_dir: Path | str, github_base_url: str = "http://127.0.0.1:8765",
                          token_env: str = "SIM_GITHUB_TOKEN", base_url: str | None = None) -> Path:  # noqa: S107  # fmt: skip
    """base_url: one SimServer serving every API (GitHub at /, Jira at /jira, PagerDuty at /pagerduty); the
    config then names all four sources and the credentials of `sim_credentials()`. Without it, only GitHub
    (at github_base_url) and local git."""
    out_dir = Path(out_dir).resolve()
    if base_url is not None:
        github_base_url, token_env = base_url.rstrip("/"), "SIM_GITHUB_TOKEN"
    org = json.loads((out_dir / "org.json").read_text())
    repos = [r for t in org["teams"] for r in t["repositories"]]
    with closing(sqlite3.connect(out_dir / "org.sqlite")) as conn:
        person_ids = dict(conn.execute("SELECT key, id FROM people").fetchall())
        deploys_via = dict(conn.execute("SELECT full_name, deploys_via FROM repos").fetchall())
    config = {
        "sources": [
            {
                "name": "github",
                "kind": "github",
                "base_url": github_base_url,
                "token_env": token_env,
                "scopes": [{"org": org["org"]}],
            },
            {
                "name": "local_git",
                "kind": "git",
                "scopes": [{"path": str(out_dir / "git" / r), "repository": r, "refs": ["main"]} for r in repos],
            },
            _business_source(out_dir),
            _events_source(out_dir),
        ],
        "teams": [
            {
                "key": t["key"],
                "name": t["name"],
                "repositories": t["repositories"],
                **({"projects": [t["work_project"]]} if t.get("work_project") else {}),
                "members": [_member(m, person_ids) for m in t["members"]],
            }
            for t in org["teams"]
        ],
        "deployments": _deployments(deploys_via),
    }
    # a monorepo's services: their paths and names (the deploy tool's events name them)
    config["services"] = [
        {"name": name, "repository": r, "paths": service_paths(areas)}
        for r in repos for name, _, areas in services(r.split("/", 1)[1])
    ]  # fmt: skip
    if base_url is not None:
        config["sources"] += _vendor_sources(org, github_base_url)
        # PagerDuty services are named after their repositories; the mapping just makes that explicit.
        config["services"] += [{"pagerduty": r, "repository": r} for r in repos]
    if not config["services"]:
        del config["services"]
    path = out_dir / "config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, width=200))
    return path
