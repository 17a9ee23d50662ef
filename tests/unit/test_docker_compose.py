"""Structure of the Docker deployment (docker-compose.yml, docker/).

No Docker engine runs where these tests run, so the compose file is checked as data: the services Airflow 3
needs, the project's image on every Airflow service, LocalExecutor on PostgreSQL, the mounts the DAGs rely
on, secrets only through docker/.env, the dashboard reading the state volume read-only. The file is
validated against the Compose specification's JSON schema offline (check-jsonschema ships it), and
`docker compose config` validates it too where the compose plugin is installed (skipped, with the reason,
where it is not).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKER_DIR = ROOT / "docker"
DOCKERFILE = DOCKER_DIR / "Dockerfile"
DOCKERIGNORE = DOCKER_DIR / "Dockerfile.dockerignore"
ENV_EXAMPLE = DOCKER_DIR / ".env.example"
INIT_SCRIPT = DOCKER_DIR / "airflow-init.sh"
ENTRYPOINT = DOCKER_DIR / "entrypoint.sh"

AIRFLOW_SERVICES = (
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
)
LONG_RUNNING = {  # service -> the airflow subcommand it runs
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
}
STATE_DIR = "/opt/delivery/state"
DASHBOARD_PORT = "8501"
# check-jsonschema from the venv running the tests; its vendored schemas need no network
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|FERNET|API_KEY|PRIVATE_KEY|CREDENTIAL", re.IGNORECASE)
# The one literal credential allowed: the metadata DB's local default, reachable only inside the compose network.
LOCAL_DB_DEFAULTS = {"POSTGRES_PASSWORD": "airflow"}
TOKEN_SHAPES = re.compile(
    r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20}|xox[abpr]-[A-Za-z0-9-]{10,}"
    r"|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|ATATT3[A-Za-z0-9_=-]{20,}"
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # KEY=VALUE list form
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: ("" if value is None else str(value)) for key, value in env.items()}


def command_words(service: dict) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(word) for word in command]


def env_files(service: dict) -> list[str]:
    value = service.get("env_file", [])
    items = [value] if isinstance(value, str | dict) else value
    return [item["path"] if isinstance(item, dict) else item for item in items]


def read_only_targets(service: dict) -> set[str]:
    """Container paths mounted read-only, short (`src:dst:ro`) and long (`read_only: true`) syntax."""
    result = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("read_only"):
                result.add(volume["target"])
        elif "ro" in volume.split(":")[2:3]:
            result.add(volume.split(":")[1])
    return result


def mounts(service: dict) -> dict[str, str]:
    """container path -> source (host path or named volume), short and long syntax."""
    result = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            result[volume["target"]] = volume["source"]
        else:
            source, target = volume.split(":")[:2]
            result[target] = source
    return result


# --- services -----------------------------------------------------------------------------------------


def test_required_services_exist(services: dict) -> None:
    missing = {"postgres", *AIRFLOW_SERVICES} - set(services)
    assert not missing, f"docker-compose.yml lacks services {sorted(missing)}"


def test_airflow_services_share_the_x_airflow_common_anchor() -> None:
    """Each Airflow service merges `<<: *airflow-common` (checked on the YAML node graph, not on text)."""
    root = yaml.compose(COMPOSE_FILE.read_text(encoding="utf-8"))
    top = {key.value: value for key, value in root.value}
    assert "x-airflow-common" in top, "no x-airflow-common extension"
    common = top["x-airflow-common"]
    service_nodes = {key.value: value for key, value in top["services"].value}
    for name in AIRFLOW_SERVICES:
        merged = [value for key, value in service_nodes[name].value if key.value == "<<"]
        assert any(node is common for node in merged), f"{name} does not merge <<: *airflow-common"


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_service_runs_the_project_image(services: dict, name: str) -> None:
    service = services[name]
    build = service.get("build")
    assert isinstance(build, dict), f"{name}: no build section"
    assert (ROOT / build["context"]).resolve() == ROOT, f"{name}: build context is not the repository root"
    assert build["dockerfile"] == "docker/Dockerfile"
    images = {services[other].get("image") for other in AIRFLOW_SERVICES}
    assert len(images) == 1 and None not in images, f"Airflow services use different images: {images}"


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_service_uses_local_executor_on_postgres(services: dict, name: str) -> None:
    env = environment(services[name])
    assert env.get("AIRFLOW__CORE__EXECUTOR") == "LocalExecutor"
    conn = env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "")
    assert re.fullmatch(r"postgresql(\+psycopg2)?://[^@/]+@postgres(:5432)?/\w+", conn), conn
    assert env.get("AIRFLOW__CORE__LOAD_EXAMPLES", "").lower() == "false"
    assert env.get("AIRFLOW__CORE__DAGS_FOLDER") == mount_target(services[name], "./dags")
    assert env.get("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "").startswith("http://airflow-apiserver:8080/")
    assert env.get("DELIVERY_CONFIG") == "/opt/delivery/config/config.yml"
    assert env.get("DELIVERY_STATE_DIR") == STATE_DIR


def mount_target(service: dict, source: str) -> str | None:
    return next((target for target, src in mounts(service).items() if src == source), None)


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_service_mounts_project_folders_and_state(compose: dict, services: dict, name: str) -> None:
    service_mounts = mounts(services[name])
    assert service_mounts.get("/opt/delivery/dags") == "./dags"
    assert service_mounts.get("/opt/delivery/dbt_project") == "./dbt_project"
    assert service_mounts.get("/opt/delivery/config") == "./config"
    state_volume = service_mounts.get(STATE_DIR)
    assert state_volume in (compose.get("volumes") or {}), f"{name}: {STATE_DIR} is not a named volume"
    logs_volume = service_mounts.get("/opt/airflow/logs")
    assert logs_volume in (compose.get("volumes") or {}), f"{name}: task logs are not on a shared named volume"


@pytest.mark.parametrize("name", AIRFLOW_SERVICES)
def test_airflow_service_reads_tokens_from_env_file(services: dict, name: str) -> None:
    assert env_files(services[name]) == ["docker/.env"]


def test_long_running_services_run_their_airflow_command(services: dict) -> None:
    for name, subcommand in LONG_RUNNING.items():
        words = command_words(services[name])
        assert words[:2] == ["airflow", subcommand], f"{name}: command {words}"
        assert "healthcheck" in services[name], f"{name}: no healthcheck"
        depends = services[name].get("depends_on", {})
        assert depends.get("postgres", {}).get("condition") == "service_healthy", name
        assert depends.get("airflow-init", {}).get("condition") == "service_completed_successfully", name


def test_apiserver_publishes_port_8080(services: dict) -> None:
    ports = [str(port) for port in services["airflow-apiserver"].get("ports", [])]
    assert any(port.endswith(":8080") for port in ports), ports
    words = command_words(services["airflow-apiserver"])
    if "--port" in words:
        assert words[words.index("--port") + 1] == "8080", words


def test_init_migrates_and_creates_the_duckdb_writer_pool(services: dict) -> None:
    init = services["airflow-init"]
    assert init.get("restart") in ("no", None), "a one-shot init must not restart"
    assert init["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert command_words(init) == ["delivery-airflow-init"]
    assert "delivery-airflow-init" in DOCKERFILE.read_text(encoding="utf-8"), "init script not installed in image"
    script = INIT_SCRIPT.read_text(encoding="utf-8")
    assert re.search(r"^airflow db migrate$", script, re.MULTILINE)
    assert re.search(r'^airflow pools set duckdb_writer 1 "one DuckDB writer at a time"$', script, re.MULTILINE)
    assert "set -euo pipefail" in script, "a failed step must fail airflow-init"


@pytest.mark.parametrize("script", [INIT_SCRIPT, ENTRYPOINT], ids=lambda p: p.name)
def test_shell_scripts_parse(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# --- dashboard ------------------------------------------------------------------------------------------


def test_dashboard_serves_the_app_without_telemetry_on_loopback(services: dict) -> None:
    dashboard = services["dashboard"]
    words = command_words(dashboard)
    assert words[:3] == ["streamlit", "run", "extractors/dashboards/app.py"], words
    options = dict(zip(words[3::2], words[4::2], strict=False))
    assert options.get("--browser.gatherUsageStats") == "false", "Streamlit must not send usage statistics"
    assert options.get("--server.headless") == "true"
    assert options.get("--server.port") == DASHBOARD_PORT
    assert words[words.index("--") + 1 :] == ["--config", environment(services["airflow-scheduler"])["DELIVERY_CONFIG"]]
    ports = [str(port) for port in dashboard.get("ports", [])]
    assert ports == [f"127.0.0.1:{DASHBOARD_PORT}:{DASHBOARD_PORT}"], ports
    assert "healthcheck" in dashboard


def test_dashboard_reads_the_published_snapshot_read_only(compose: dict, services: dict) -> None:
    dashboard = services["dashboard"]
    images = {services[name].get("image") for name in ("dashboard", *AIRFLOW_SERVICES)}
    assert len(images) == 1, f"the dashboard runs another image than Airflow: {images}"
    assert environment(dashboard).get("DELIVERY_STATE_DIR") == STATE_DIR
    airflow_state = mounts(services["airflow-scheduler"])[STATE_DIR]
    assert mounts(dashboard).get(STATE_DIR) == airflow_state, "the dashboard does not see the pipeline's state"
    assert {STATE_DIR, "/opt/delivery/config"} <= read_only_targets(dashboard), "the dashboard must not write"
    assert not env_files(dashboard), "the dashboard needs no tokens: no docker/.env"


# --- postgres -------------------------------------------------------------------------------------------


def test_postgres_has_healthcheck_and_named_volume(compose: dict, services: dict) -> None:
    postgres = services["postgres"]
    test = postgres.get("healthcheck", {}).get("test", [])
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    data = mounts(postgres).get("/var/lib/postgresql/data")
    assert data in (compose.get("volumes") or {}), "postgres data is not on a named volume"
    assert not postgres.get("ports"), "the metadata DB (local default password) must not publish a port"


# --- secrets --------------------------------------------------------------------------------------------


def test_no_literal_secrets_in_compose_file(services: dict) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert not TOKEN_SHAPES.search(text), "something shaped like a real token is in docker-compose.yml"
    for name, service in services.items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key) and value and not value.startswith("/"):
                assert LOCAL_DB_DEFAULTS.get(key) == value, f"{name}: literal secret in {key}"
        conn = environment(service).get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
        if conn:
            assert "://airflow:airflow@postgres" in conn, f"{name}: unexpected credential in the DB URL"


def test_env_example_lists_tokens_with_empty_values() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert not TOKEN_SHAPES.search(text)
    entries = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert "GITHUB_TOKEN" in entries
    assert all(value.strip() == "" for value in entries.values()), "docker/.env.example must hold no values"
    assert any(line.startswith("#") for line in text.splitlines()), "docker/.env.example explains itself"


def test_env_file_is_not_committed_and_is_git_ignored() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git work tree")
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--", "docker/.env"], capture_output=True, text=True, check=True
    ).stdout
    assert tracked.strip() == "", "docker/.env is committed: it holds tokens"
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "docker/.env"], check=False)
    assert ignored.returncode == 0, "docker/.env is not git-ignored: add `docker/.env` to .gitignore"


# --- image ----------------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[str]:
    """Instructions with line continuations joined and comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [
        re.sub(r"\s+", " ", part).strip() for part in "\n".join(lines).replace("\\\n", " ").splitlines() if part.strip()
    ]


def test_dockerfile_installs_the_lock_then_the_project() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == "FROM python:3.11-slim"
    text = " ".join(instructions)
    assert re.search(r"COPY requirements\.lock (\S+)", text), "requirements.lock is not copied into the image"
    lock_install = re.search(r"pip install (--requirement|-r) \S*requirements\.lock", text)
    project_install = re.search(r"pip install --no-deps \.(\s|$)", text)
    assert lock_install, "the Dockerfile does not pip install requirements.lock"
    assert project_install, "the Dockerfile does not pip install --no-deps ."
    assert lock_install.start() < project_install.start(), "the lock must be installed before the project"
    assert re.search(r"apt-get install [^&]*\bgit\b", text), "git is missing (the git extractor shells out to it)"
    assert re.search(r"^USER (?!root|0\b)", "\n".join(instructions), re.MULTILINE), "the image must not run as root"


def test_build_context_excludes_tokens_and_state() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in ("docker/.env", ".state", ".git"):
        assert required in patterns, f"{required} would be sent into the image build context"


# --- docker compose itself ------------------------------------------------------------------------------


def check_compose_schema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(path)],
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_compose_file_matches_the_compose_specification_schema() -> None:
    """Offline: check-jsonschema's vendored copy of the Compose specification's JSON schema."""
    assert CHECK_JSONSCHEMA.is_file(), f"{CHECK_JSONSCHEMA} missing: check-jsonschema is in the dev extra"
    result = check_compose_schema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_schema_check_rejects_an_invalid_service(tmp_path: Path) -> None:
    """The same check fails on a file the specification rejects (a port list given as a mapping)."""
    broken = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    broken["services"]["dashboard"]["ports"] = {"web": DASHBOARD_PORT}
    (tmp_path / "docker-compose.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = check_compose_schema(tmp_path / "docker-compose.yml")
    assert result.returncode != 0 and "ports" in result.stdout + result.stderr, result.stdout + result.stderr


def compose_plugin_missing() -> str | None:
    if shutil.which("docker") is None:
        return "the docker client is not installed"
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return "the docker compose CLI plugin is not installed (`docker compose version` fails)"
    return None


def test_docker_compose_config_validates(tmp_path: Path) -> None:
    """`docker compose config -q` needs no engine, only the plugin. docker/.env is required by the file, so
    the check runs on a copy with docker/.env made from the example."""
    reason = compose_plugin_missing()
    if reason:
        pytest.skip(f"{reason}: docker-compose.yml checked structurally only")
    shutil.copy(COMPOSE_FILE, tmp_path / "docker-compose.yml")
    shutil.copytree(DOCKER_DIR, tmp_path / "docker", ignore=shutil.ignore_patterns(".env"))
    shutil.copy(ENV_EXAMPLE, tmp_path / "docker" / ".env")
    result = subprocess.run(
        ["docker", "compose", "-f", str(tmp_path / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
