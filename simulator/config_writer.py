"""write_pipeline_config(): the pipeline's YAML config (docs/CONTRACTS.md) for a generated org."""

import json
from pathlib import Path

import yaml


def write_pipeline_config(out_dir: Path | str, github_base_url: str = "http://127.0.0.1:8765",
                          token_env: str = "SIM_GITHUB_TOKEN") -> Path:  # noqa: S107  # fmt: skip
    out_dir = Path(out_dir).resolve()
    org = json.loads((out_dir / "org.json").read_text())
    repos = [r for t in org["teams"] for r in t["repositories"]]
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
        ],
        "teams": [
            {
                "key": t["key"],
                "name": t["name"],
                "repositories": t["repositories"],
                "members": [
                    {k: m[k] for k in ("key", "name", "email", "github", "aliases")} for m in t["members"]
                ],
            }
            for t in org["teams"]
        ],
        "deployments": {"production_environments": ["production"]},
    }
    path = out_dir / "config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, width=200))
    return path
