"""A real Airflow 3 deployment for tests, without Docker: the shape of docker-compose.yml on this machine.

PostgreSQL 15 as the metadata database (a throwaway cluster run as user `postgres`, trust auth, listening only
on 127.0.0.1 on a free port) and `airflow api-server`, `scheduler` (LocalExecutor), `dag-processor` and
`triggerer` as four separate processes, each in its own process group, with every file (AIRFLOW_HOME, logs,
the simple auth manager's password file) under one root folder. The REST API is reached with a JWT from the
simple auth manager (user `admin`, a random password), as the UI would.

    with AirflowDeployment(tmp_path, extra_env={...}) as airflow:
        airflow.wait_for_dags(["extract_github"])
        airflow.unpause("extract_github")
        run_id = airflow.trigger("extract_github")          # no logical date: what the UI's Trigger button does
        airflow.wait_until_settled(["extract_github"], timeout=300)

Leaving the `with` block stops every process (their groups, then any stray process whose environment names
this deployment's AIRFLOW_HOME) and the PostgreSQL cluster, and deletes the cluster, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
AIRFLOW = Path(sys.executable).with_name("airflow")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "postgres"
SERVICES = ("api-server", "scheduler", "dag-processor", "triggerer")
TERMINAL_RUN_STATES = {"success", "failed"}
FAILED_TI_STATES = ("failed", "up_for_retry", "upstream_failed")
RunsByDag = dict[str, list[dict]]  # dag_id -> its runs as the REST API returns them


def postgres_available() -> str | None:
    """None when a local PostgreSQL 15 cluster can be started here, else the reason it cannot."""
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (PG_BIN / name).exists()]
    if missing:
        return f"PostgreSQL 15 binaries not found in {PG_BIN}: {', '.join(missing)}"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DeploymentError(RuntimeError):
    pass


class LocalPostgres:
    """A throwaway PostgreSQL cluster owned by `postgres` in its own temp folder (the test's temp folder is
    usually not reachable by that user). Trust auth, TCP on 127.0.0.1 only, the socket inside the folder."""

    def __init__(self, database: str = "airflow", start_timeout: float = 60):
        self.database, self.start_timeout = database, start_timeout
        self.port = 0
        self.root: Path | None = None

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "postgres.log"

    def url(self, driver: str = "postgresql+psycopg2") -> str:
        return f"{driver}://{PG_USER}@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> LocalPostgres:
        reason = postgres_available()
        if reason:
            raise DeploymentError(reason)
        self.root = Path(tempfile.mkdtemp(prefix="delivery-pg-"))
        shutil.chown(self.root, user=PG_USER, group=PG_USER)
        self.port = free_port()
        self._as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data_dir), "-U", PG_USER, "--auth=trust",
                           "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                           "-o", options, "-w", "-t", str(int(self.start_timeout)), "start"])  # fmt: skip
        self._as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER,
                           self.database])  # fmt: skip
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30",
                                   "stop"], check=False)  # fmt: skip
            pid_file = self.data_dir / "postmaster.pid"
            if pid_file.exists():  # pg_ctl could not stop it: the postmaster goes the hard way
                with contextlib.suppress(ProcessLookupError, ValueError, OSError):
                    os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGKILL)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def log_tail(self, chars: int = 3000) -> str:
        return _tail(self.log_file, chars) if self.root else ""

    def _as_postgres(self, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["runuser", "-u", PG_USER, "--", *command], capture_output=True, text=True,
                                cwd=self.root, timeout=120, check=False)  # fmt: skip
        if check and result.returncode != 0:
            raise DeploymentError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
                                  f"\n{self.log_tail()}")  # fmt: skip
        return result

    def __enter__(self) -> LocalPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


class AirflowDeployment:
    """Postgres + `airflow db migrate` + pools + the four Airflow services; a context manager.

    `root` holds everything (AIRFLOW_HOME is root/airflow, service output root/services/<name>.log);
    `extra_env` is added to every Airflow process (DELIVERY_CONFIG, tokens, ...).
    """

    def __init__(self, root: Path, extra_env: dict[str, str] | None = None, *,
                 dags_folder: Path = PROJECT_DIR / "dags", pools: dict[str, int] | None = None,
                 start_timeout: float = 240) -> None:  # fmt: skip
        self.root = Path(root)
        self.home = self.root / "airflow"
        self.service_logs = self.root / "services"
        self.extra_env = dict(extra_env or {})
        self.dags_folder = Path(dags_folder)
        self.pools = {"duckdb_writer": 1} if pools is None else pools
        self.start_timeout = start_timeout
        self.postgres = LocalPostgres()
        self.api_port = 0
        self.processes: dict[str, subprocess.Popen] = {}
        self._password = secrets.token_urlsafe(16)
        self._token: str | None = None
        self.env: dict[str, str] = {}
        self.stragglers_killed: list[int] = []

    # -- lifecycle ---------------------------------------------------------------------------------------
    def __enter__(self) -> AirflowDeployment:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.service_logs.mkdir(parents=True, exist_ok=True)
        self.postgres.start()
        self.api_port = free_port()
        passwords = self.home / "simple_auth_manager_passwords.json"
        passwords.write_text(json.dumps({"admin": self._password}))
        passwords.chmod(0o600)
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.postgres.url(),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{self.api_port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.api_port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
            # Log servers on free ports: two deployments (or a developer's Airflow) on one machine do not clash.
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "PYTHONPATH": str(PROJECT_DIR),
            **self.extra_env,
        }  # fmt: skip
        self.airflow("db", "migrate", timeout=300)
        for name, slots in self.pools.items():
            self.airflow("pools", "set", name, str(slots), f"{name} ({slots} slots)")
        for service in SERVICES:
            self._spawn(service)
        self._wait_for_api()

    def stop(self) -> None:
        """Stop the services (SIGTERM to each process group, SIGKILL after a grace period), then any process
        left that belongs to this deployment (task processes run in groups of their own), then Postgres."""
        try:
            for process in self.processes.values():
                _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + 30
            for process in self.processes.values():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
            for process in self.processes.values():
                _signal_group(process, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=10)
            self.stragglers_killed = self._kill_stragglers()
        finally:
            self.postgres.stop()

    def leftover_processes(self) -> list[int]:
        """Processes still running with this deployment's AIRFLOW_HOME in their environment."""
        marker = f"AIRFLOW_HOME={self.home}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            with contextlib.suppress(OSError):
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
        return found

    def _kill_stragglers(self) -> list[int]:
        pids = self.leftover_processes()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return pids

    def _spawn(self, service: str) -> None:
        with (self.service_logs / f"{service}.log").open("ab") as out:
            self.processes[service] = subprocess.Popen(
                [str(AIRFLOW), *service.split()], env=self.env, cwd=self.root, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def _check_alive(self) -> None:
        dead = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        if dead:
            raise DeploymentError(f"Airflow service(s) exited: {dead}\n{self.diagnostics()}")

    def _wait_for_api(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            self._check_alive()
            try:
                health = self.api("GET", "/api/v2/monitor/health", auth=False)
                if health.get("metadatabase", {}).get("status") == "healthy":
                    return
            except (OSError, DeploymentError):
                pass
            if time.monotonic() > deadline:
                raise DeploymentError(f"the api-server did not answer in {self.start_timeout}s\n{self.diagnostics()}")
            time.sleep(2)

    # -- CLI and REST ------------------------------------------------------------------------------------
    def airflow(self, *args: str, timeout: float = 180) -> str:
        """Run `airflow <args>` against this deployment; its stdout, or DeploymentError with the output."""
        result = subprocess.run([str(AIRFLOW), *args], env=self.env, cwd=self.root, capture_output=True, text=True,
                                timeout=timeout, check=False)  # fmt: skip
        if result.returncode != 0:
            raise DeploymentError(f"airflow {' '.join(args)} failed ({result.returncode}):\n"
                                  f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")  # fmt: skip
        return result.stdout

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def api(self, method: str, path: str, body: dict | None = None, *, auth: bool = True) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self._access_token()}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback, our own URL)
                payload = response.read()
        except urllib.error.HTTPError as err:
            raise DeploymentError(f"{method} {path}: HTTP {err.code} {err.read()[:2000]!r}") from None
        return json.loads(payload) if payload else {}

    def _access_token(self) -> str:
        if self._token is None:
            body = {"username": "admin", "password": self._password}
            self._token = self.api("POST", "/auth/token", body, auth=False)["access_token"]
        return self._token

    # -- DAGs and runs -----------------------------------------------------------------------------------
    def wait_for_dags(self, dag_ids: Iterable[str], timeout: float = 180) -> None:
        """Until the dag-processor has parsed and serialized every DAG in `dag_ids` (none with import errors)."""
        wanted, deadline = set(dag_ids), time.monotonic() + timeout
        while True:
            self._check_alive()
            found = {d["dag_id"] for d in self.api("GET", "/api/v2/dags?limit=1000")["dags"]}
            if wanted <= found:
                return
            errors = self.api("GET", "/api/v2/importErrors")
            if errors.get("total_entries"):
                raise DeploymentError(f"DAG import errors: {json.dumps(errors['import_errors'], indent=1)[:6000]}")
            if time.monotonic() > deadline:
                raise DeploymentError(f"DAGs not parsed in {timeout}s: missing {sorted(wanted - found)}\n"
                                      f"{self.diagnostics()}")  # fmt: skip
            time.sleep(3)

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/api/v2/dags/{urllib.parse.quote(dag_id)}", {"is_paused": False})

    def trigger(self, dag_id: str, logical_date: str | None = None) -> str:
        """`airflow dags trigger` (with `--logical-date` when given); the new run's id."""
        args = ["dags", "trigger", dag_id, "-o", "json"]
        if logical_date is not None:
            args += ["--logical-date", logical_date]
        output = self.airflow(*args)  # Airflow's own log lines go to stdout too: the JSON is the last line
        rows = json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("[")))
        return rows[0]["dag_run_id"]

    def runs(self, dag_id: str) -> list[dict]:
        path = f"/api/v2/dags/{urllib.parse.quote(dag_id)}/dagRuns?limit=100&order_by=run_after"
        return self.api("GET", path)["dag_runs"]

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        path = f"/api/v2/dags/{urllib.parse.quote(dag_id)}/dagRuns/{urllib.parse.quote(run_id)}/taskInstances"
        return self.api("GET", path + "?limit=1000")["task_instances"]

    def failing_task_instances(self) -> list[dict]:
        query = "&".join(f"state={state}" for state in FAILED_TI_STATES)
        return self.api("GET", f"/api/v2/dags/~/dagRuns/~/taskInstances?limit=100&{query}")["task_instances"]

    def asset_events(self) -> list[dict]:
        """Every asset event, each with `created_dagruns`: the runs that consumed it."""
        return self.api("GET", "/api/v2/assets/events?limit=1000")["asset_events"]

    def queued_asset_events(self, dag_id: str) -> int:
        return self.api("GET", f"/api/v2/dags/{urllib.parse.quote(dag_id)}/assets/queuedEvents")["total_entries"]

    def wait_until_settled(
        self, dag_ids: Iterable[str], timeout: float, poll: float = 5, ready: Callable[[RunsByDag], bool] | None = None
    ) -> RunsByDag:
        """Poll until every run of `dag_ids` is success or failed, no asset event waits to trigger one of them
        and `ready(runs)` (when given) holds, twice in a row; {dag_id: runs}. Stops early, with the logs, as
        soon as a task fails or waits for a retry; DeploymentError with the logs' tails on timeout."""
        dag_ids, deadline, settled_once = list(dag_ids), time.monotonic() + timeout, False
        while True:
            self._check_alive()
            runs = {dag_id: self.runs(dag_id) for dag_id in dag_ids}
            failing = [ti for ti in self.failing_task_instances() if ti["dag_id"] in dag_ids]
            if failing:
                raise DeploymentError(f"task(s) failed: {_describe(failing)}\n{self.diagnostics(failing)}")
            settled = (
                all(r["state"] in TERMINAL_RUN_STATES for rs in runs.values() for r in rs)
                and not any(self.queued_asset_events(dag_id) for dag_id in dag_ids)
                and (ready is None or ready(runs))
            )
            if settled and settled_once:
                return runs
            settled_once = settled
            if time.monotonic() > deadline:
                states = {d: [(r["dag_run_id"], r["state"]) for r in rs] for d, rs in runs.items()}
                raise DeploymentError(f"runs not finished in {timeout}s: {states}\n{self.diagnostics()}")
            time.sleep(poll)

    # -- diagnostics -------------------------------------------------------------------------------------
    def task_logs(self, task_instances: Iterable[dict] | None = None) -> list[Path]:
        """Log files of `task_instances` (all task logs, newest last, when None)."""
        logs = self.home / "logs"
        if task_instances is None:
            return sorted(logs.rglob("*.log"), key=lambda p: p.stat().st_mtime) if logs.exists() else []
        found = []
        for ti in task_instances:
            folder = logs / f"dag_id={ti['dag_id']}" / f"run_id={ti['dag_run_id']}" / f"task_id={ti['task_id']}"
            found += sorted(folder.rglob("*.log")) if folder.exists() else []
        return found

    def diagnostics(self, task_instances: Iterable[dict] | None = None, chars: int = 2500) -> str:
        parts = []
        for path in self.task_logs(task_instances) if task_instances is not None else self.task_logs()[-4:]:
            parts.append(f"--- task log {path.relative_to(self.home)} ---\n{_tail(path, chars)}")
        for service in SERVICES:
            parts.append(f"--- {service} ---\n{_tail(self.service_logs / f'{service}.log', chars)}")
        parts.append(f"--- postgres ---\n{self.postgres.log_tail(chars)}")
        return "\n".join(parts)


def _describe(task_instances: Iterable[dict]) -> str:
    return ", ".join(f"{ti['dag_id']}/{ti['dag_run_id']}/{ti['task_id']}[{ti.get('map_index', -1)}]={ti['state']}"
                     for ti in task_instances)  # fmt: skip


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _tail(path: Path, chars: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - chars))
            return handle.read().decode(errors="replace")
    except OSError:
        return ""
