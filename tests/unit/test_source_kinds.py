"""A source kind is one registration: a kind from the test folder becomes a DAG, a CLI choice, a config model
and a loadable raw table with no other edit; and the core names no kind (DESIGN.md's promise)."""

from __future__ import annotations

import ast
import sys
import textwrap

import duckdb
import pytest

from extractors import cli
from extractors.core.config import ConfigError, load_config
from extractors.core.registry import PLUGINS_ENV, source_kinds
from tests.conftest import PROJECT_DIR

ECHO = "tests.plugins.echo"
BUILTIN = {"business", "events", "git", "github", "jira", "pagerduty"}


@pytest.fixture
def echo_registered(monkeypatch):
    monkeypatch.setenv(PLUGINS_ENV, ECHO)
    monkeypatch.syspath_prepend(str(PROJECT_DIR / "dags"))
    # the DAG files import delivery_common, which reads the registry once per import: a fresh one before
    # and after, so no other test sees the echo kind
    sys.modules.pop("delivery_common", None)
    yield
    sys.modules.pop("delivery_common", None)


def echo_config(tmp_path, extra: str = "") -> str:
    path = tmp_path / "config.yml"
    path.write_text(
        textwrap.dedent(f"""
        warehouse: {{state_dir: {tmp_path / 'state'}}}
        sources:
          - name: greeter
            kind: echo
            scopes: [{{word: world}}, {{word: moon}}]
            {extra}
        """)
    )
    return str(path)


def test_without_the_plugin_only_the_builtin_kinds_exist(monkeypatch):
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    assert set(source_kinds()) == BUILTIN


def test_a_test_folder_kind_becomes_a_dag_with_its_schedule_and_raw_asset(echo_registered):
    from airflow.dag_processing.dagbag import DagBag

    dagbag = DagBag(dag_folder=str(PROJECT_DIR / "dags"))
    assert dagbag.import_errors == {}
    assert {f"extract_{kind}" for kind in BUILTIN | {"echo"}} | {"transform"} == set(dagbag.dag_ids)
    assert dagbag.dags["extract_echo"].timetable.summary == "5 4 * * *"
    assert "Greetings" in dagbag.dags["extract_echo"].doc_md
    uris = {asset.uri for asset in dagbag.dags["transform"].timetable.asset_condition.objects}
    assert "delivery://raw/echo" in uris


def test_a_test_folder_kind_is_a_cli_choice_and_lands_into_its_raw_table(echo_registered, tmp_path, capsys):
    assert cli.main(["kinds"]) == 0
    assert "echo" in capsys.readouterr().out
    config = echo_config(tmp_path)
    assert cli.main(["extract", "--kind", "echo", "--config", config, "--until", "2026-03-01T00:00:00Z"]) == 0
    assert cli.main(["load", "--config", config]) == 0
    with duckdb.connect(str(tmp_path / "state" / "warehouse.duckdb"), read_only=True) as conn:
        rows = conn.execute("select scope, count(*) from raw.echo__greetings group by 1 order by 1").fetchall()
    assert rows == [("moon", 3), ("world", 3)]


def test_a_test_folder_kind_gets_its_own_config_model(echo_registered, tmp_path):
    assert load_config(echo_config(tmp_path, "repeat: 5")).source("greeter").repeat == 5
    with pytest.raises(ConfigError, match=r"sources\[0\]: unknown key 'base_url', expected one of .*repeat"):
        load_config(echo_config(tmp_path, "base_url: http://x"))


def test_an_unknown_kind_on_the_cli_is_refused_with_the_choices(monkeypatch, capsys):
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    with pytest.raises(SystemExit):
        cli.main(["extract", "--kind", "echo", "--config", "x.yml"])
    assert "invalid choice: 'echo'" in capsys.readouterr().err


# --- DESIGN.md: a new source touches its extractor package, its simulator module, its staging folder and the
# canonical unions. So the core, the CLI, the DAGs and the local runner import no source and name no kind.
CORE_FILES = [
    *sorted((PROJECT_DIR / "extractors" / "core").glob("*.py")),
    *sorted((PROJECT_DIR / "extractors").glob("*.py")),
    *sorted((PROJECT_DIR / "dags").glob("*.py")),
    PROJECT_DIR / "scripts" / "local_airflow.py",
]
PRODUCT_FILES = [*sorted((PROJECT_DIR / "extractors").rglob("*.py")), *sorted((PROJECT_DIR / "dags").glob("*.py"))]


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _code_strings(tree: ast.AST) -> set[str]:
    """String constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_the_core_imports_no_source_and_names_no_kind(path):
    tree = ast.parse(path.read_text())
    sources = [m for m in _imports(tree) if m.startswith("extractors.") and m.split(".")[1] in BUILTIN]
    assert sources == [], f"{path.name} imports a source package"
    named = {s for s in _code_strings(tree) for kind in BUILTIN if s == kind or s.startswith(f"{kind}__")}
    assert named == set(), f"{path.name} names a source kind: {named}"


@pytest.mark.parametrize("path", PRODUCT_FILES, ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_the_product_never_imports_the_simulator_or_the_tests(path):
    imported = {m.split(".")[0] for m in _imports(ast.parse(path.read_text()))}
    assert not imported & {"simulator", "tests", "scripts"}


def test_the_package_build_leaves_the_simulator_out():
    import tomllib

    packages = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert packages["include"] == ["extractors*"]
    ignored = (PROJECT_DIR / "docker" / "Dockerfile.dockerignore").read_text().split()
    assert {"simulator", "tests", "scripts"} <= set(ignored)
