"""org.sqlite: the generated org on disk. The server and the ground truth both read it."""

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE teams(key TEXT PRIMARY KEY, name TEXT, delivery TEXT, adoption_week INT);
CREATE TABLE people(id INTEGER PRIMARY KEY, key TEXT, name TEXT, email TEXT, login TEXT UNIQUE,
    team_key TEXT, tz_offset INT);
CREATE TABLE repos(id INTEGER PRIMARY KEY, owner TEXT, name TEXT, full_name TEXT UNIQUE, team_key TEXT,
    created_at INT, pushed_at INT, deploys_via TEXT);
CREATE TABLE commits(repo_id INT, sha TEXT, tree_sha TEXT, parents TEXT, author_id INT, author_name TEXT,
    author_email TEXT, author_at INT, author_tz INT, committer_name TEXT, committer_email TEXT,
    committer_at INT, committer_tz INT, message TEXT, on_main INT, main_pos INT, is_merge INT,
    additions INT, deletions INT, pr_number INT, assisted INT, PRIMARY KEY(repo_id, sha));
CREATE TABLE pulls(repo_id INT, number INT, id INT, author_id INT, title TEXT, body TEXT, state TEXT,
    draft INT, created_at INT, updated_at INT, closed_at INT, merged_at INT, merge_sha TEXT,
    head_ref TEXT, head_sha TEXT, base_sha TEXT, requested TEXT, assisted INT, commit_count INT,
    additions INT, deletions INT, assignees TEXT, labels TEXT, ai_signals TEXT, reverts INT, service TEXT,
    PRIMARY KEY(repo_id, number));
CREATE TABLE bots(id INTEGER PRIMARY KEY, login TEXT UNIQUE, name TEXT, email TEXT);
CREATE TABLE pull_commits(repo_id INT, number INT, pos INT, sha TEXT, PRIMARY KEY(repo_id, number, pos));
CREATE TABLE reviews(repo_id INT, number INT, id INT PRIMARY KEY, reviewer_id INT, state TEXT, body TEXT,
    submitted_at INT, commit_id TEXT);
CREATE TABLE deployments(repo_id INT, id INT PRIMARY KEY, sha TEXT, environment TEXT, creator_id INT,
    created_at INT, main_pos INT, service TEXT);
CREATE TABLE deployment_statuses(repo_id INT, deployment_id INT, id INT PRIMARY KEY, state TEXT,
    environment TEXT, creator_id INT, created_at INT);
CREATE TABLE workflow_runs(repo_id INT, id INT PRIMARY KEY, name TEXT, workflow_id INT, head_branch TEXT,
    head_sha TEXT, event TEXT, status TEXT, conclusion TEXT, run_number INT, created_at INT,
    updated_at INT, actor_id INT, pr_number INT);
CREATE TABLE workflow_jobs(repo_id INT, run_id INT, id INT PRIMARY KEY, run_attempt INT, name TEXT, status TEXT,
    conclusion TEXT, created_at INT, started_at INT, completed_at INT, runner_name TEXT, labels TEXT, steps TEXT);
CREATE TABLE releases(repo_id INT, id INT PRIMARY KEY, tag_name TEXT, name TEXT, body TEXT, author_id INT,
    created_at INT, sha TEXT, published_at INT, prerelease INT);
CREATE TABLE issues(repo_id INT, number INT, id INT, author_id INT, title TEXT, body TEXT, state TEXT,
    created_at INT, updated_at INT, closed_at INT, is_pull INT, PRIMARY KEY(repo_id, number));
CREATE TABLE work_projects(key TEXT PRIMARY KEY, id INT, name TEXT, team_key TEXT);
CREATE TABLE work_items(id INTEGER PRIMARY KEY, key TEXT UNIQUE, project_key TEXT, number INT, type TEXT,
    summary TEXT, environment TEXT, status TEXT, status_category TEXT, created_at INT, updated_at INT,
    resolved_at INT, reporter_id INT, assignee_id INT, story_points INT, sprint TEXT, labels TEXT,
    repo_id INT, pr_number INT);
CREATE TABLE work_item_transitions(work_item_id INT, seq INT, from_status TEXT, to_status TEXT,
    to_category TEXT, at INT, author_id INT, PRIMARY KEY(work_item_id, seq));
CREATE TABLE incidents(id INTEGER PRIMARY KEY, number INT, repo_id INT, service TEXT, title TEXT,
    status TEXT, severity TEXT, urgency TEXT, priority TEXT, created_at INT, acknowledged_at INT,
    resolved_at INT, updated_at INT, assignee_id INT, escalated INT, deployment_id INT, deployment_sha TEXT,
    truth_deployment_id INT);
CREATE TABLE incident_log_entries(id INTEGER PRIMARY KEY, incident_id INT, type TEXT, created_at INT,
    agent_id INT, summary TEXT);
"""

INDEXES = """
CREATE INDEX commits_main ON commits(repo_id, on_main, committer_at);
CREATE INDEX pulls_updated ON pulls(repo_id, updated_at);
CREATE INDEX pulls_created ON pulls(repo_id, created_at);
CREATE INDEX reviews_pr ON reviews(repo_id, number);
CREATE INDEX deployments_repo ON deployments(repo_id, environment);
CREATE INDEX statuses_dep ON deployment_statuses(deployment_id);
CREATE INDEX runs_repo ON workflow_runs(repo_id, created_at);
CREATE INDEX jobs_run ON workflow_jobs(run_id, id);
CREATE INDEX issues_updated ON issues(repo_id, updated_at);
CREATE INDEX people_email ON people(email);
CREATE INDEX work_items_updated ON work_items(project_key, updated_at);
CREATE INDEX work_items_pr ON work_items(repo_id, pr_number);
CREATE INDEX incidents_service ON incidents(repo_id, created_at);
CREATE INDEX incidents_created ON incidents(created_at);
CREATE INDEX incidents_cause ON incidents(truth_deployment_id);
CREATE INDEX incident_log_incident ON incident_log_entries(incident_id, created_at);
"""


def create(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.executescript(SCHEMA)
    return conn


def insert_rows(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    for table, values in rows.items():
        if values:
            marks = ",".join("?" * len(values[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


def finish(conn: sqlite3.Connection) -> None:
    """Indexes after the bulk load: much faster than maintaining them per insert."""
    # Incident numbers are account-wide (as on PagerDuty): number them in creation order, once all
    # repositories are in.
    conn.execute("""UPDATE incidents SET number = r.n FROM (SELECT id, row_number() OVER
                    (ORDER BY created_at, id) AS n FROM incidents) AS r WHERE incidents.id = r.id""")
    conn.executescript(INDEXES)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def open_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn
