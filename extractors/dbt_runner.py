"""How the pipeline runs dbt: one command shape, one environment, one way to turn a failure into a message.

`dbt build` and `dbt source freshness` (extractors.pipeline) and `dbt docs generate` (extractors.dbt_docs)
all go through here, each with its own target path so their partial parses do not undo each other.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from extractors.core.config import Config
from extractors.core.errors import TransformError
from extractors.core.processes import die_with_parent

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
_DBT_FAILURE = re.compile(r"\b(ERROR|FAIL|Error in|Failure in|Compilation Error|Runtime Error)\b")


def dbt_command(*args: str, profiles_dir: Path = DBT_PROJECT_DIR) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(profiles_dir)]


def metrics_vars(config: Config) -> tuple[str, ...]:
    """The config's `metrics:` section as --vars (over the defaults in dbt_project.yml)."""
    return ("--vars", json.dumps(config.metrics, sort_keys=True)) if config.metrics else ()


def dbt_env(config: Config, target_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DELIVERY_DUCKDB_PATH": str(config.duckdb_path),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(config.state_dir / "dbt" / "logs"),
        "DBT_USE_COLORS": "false",  # its output becomes our error messages and task logs
    }


def run_dbt(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env=env,
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=die_with_parent,  # only a prctl between fork and exec: no locks, no threads
    )


def failure_message(what: str, result: subprocess.CompletedProcess[str], env: dict[str, str]) -> TransformError:
    """`what` failed: dbt's error lines (or the output's tail), and where the full log is."""
    detail = failure_lines(result.stdout)[-40:] or [result.stdout[-3000:], result.stderr[-2000:]]
    return TransformError(
        f"{what} failed (exit {result.returncode}); the full log is in {env['DBT_LOG_PATH']}/dbt.log\n"
        + "\n".join(detail)
    )


def failure_lines(dbt_stdout: str) -> list[str]:
    """dbt's error headers with the indented detail lines under them (the detail names the cause)."""
    kept: list[str] = []
    detail_left = 0
    for line in dbt_stdout.splitlines():
        if _DBT_FAILURE.search(line):
            kept.append(line.strip())
            detail_left = 5
        elif detail_left and line[:1].isspace() and line.strip():
            kept.append(line.strip())
            detail_left -= 1
        else:
            detail_left = 0
    return kept
