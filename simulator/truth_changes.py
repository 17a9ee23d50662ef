"""Production deployments and the changes they ship, read from org.sqlite for the new ground truth.

Main positions stand in for reachability (see ground_truth.py): every deployment sha is a commit on
main's first-parent chain, so merge k is reachable from deployment sha p exactly when k <= p, and one
deployment sha is a strict ancestor of another exactly when its position is smaller. Each service of a
monorepo is its own chain (METRICS.md "Services"): a pull request's commits and merge touch its service only.
"""

import bisect
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from simulator.delivery import PRODUCTION_ENVIRONMENTS

PRODUCTION = PRODUCTION_ENVIRONMENTS  # what the simulator's config lists
HOUR = 3600.0


@dataclass
class Deployment:
    id: int
    repo_id: int
    environment: str
    sha: str
    main_pos: int  # -1: a sha the history does not hold (it reaches no merge)
    deployed_at: int | None  # first success status; None: never succeeded
    failed_at: int | None  # first failure/error status of a deployment that never succeeded
    service: str | None = None  # a monorepo's service; None: the repository
    is_tracked: bool = True  # the sha is in the commit graph
    # what it shipped is known: its sha and its previous deployment's are tracked (METRICS.md "Untracked shas")
    is_measurable: bool = True


@dataclass
class Change:
    """A merged pull request, and the first successful production deployment that ships it (`shipment`);
    `deployment` is that one only when what it shipped is measurable, else the change is deployed at an unknown
    time (METRICS.md "Untracked shas")."""

    repo_id: int
    number: int
    author_id: int
    created_at: int
    merged_at: int
    merge_sha: str
    merge_pos: int
    first_commit_at: int | None
    reverts: int | None = None  # the number of the pull request this one reverts
    service: str | None = None  # the monorepo service its files are in; None: the repository's
    shipment: Deployment | None = None

    @property
    def deployment(self) -> Deployment | None:
        return self.shipment if self.shipment is not None and self.shipment.is_measurable else None

    def touches(self, d: Deployment) -> bool:
        """A deployment of a monorepo's service delivers only that service's changes."""
        return d.service is None or d.service == self.service


@dataclass
class Facts:
    repo_team: dict[int, str]
    deployments: list[Deployment]  # production deployments with a terminal status
    successful: dict[tuple[int, str | None, str], list[Deployment]]  # (repo, service, env) -> by (deployed_at, id)
    changes: dict[tuple[int, int], Change]  # (repo, PR number)
    by_id: dict[int, Deployment] = field(default_factory=dict)  # successful production deployments
    copies: dict[int, int] = field(default_factory=dict)  # environment copy -> the deployment it copies

    def counted_failures(self, failures) -> set[int]:
        """The counted deployments that are change failures: themselves or one of their environment copies."""
        return {self.copies.get(d, d) for d in failures}

    def team_of(self, repo_id: int) -> str:
        return self.repo_team[repo_id]


def load(conn: sqlite3.Connection) -> Facts:
    repo_team = dict(conn.execute("SELECT id, team_key FROM repos"))
    marks = ",".join("?" * len(PRODUCTION))
    rows = conn.execute(
        f"""SELECT d.id, d.repo_id, d.environment, d.sha, d.main_pos, d.service,
                   min(CASE WHEN s.state = 'success' THEN s.created_at END),
                   min(CASE WHEN s.state IN ('failure', 'error') THEN s.created_at END)
            FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id
            WHERE d.environment IN ({marks}) GROUP BY d.id ORDER BY d.id""",
        PRODUCTION,
    ).fetchall()
    deployments = []
    for dep_id, repo, env, sha, pos, service, success, failure in rows:
        if success is None and failure is None:
            continue  # no terminal status yet: not an attempt
        deployments.append(Deployment(dep_id, repo, env, sha, -1 if pos is None else pos, success,
                                      None if success else failure, service, is_tracked=pos is not None))  # fmt: skip
    successful: dict[tuple[int, str | None, str], list[Deployment]] = {}
    for d in sorted((d for d in deployments if d.deployed_at is not None), key=lambda d: (d.deployed_at, d.id)):
        successful.setdefault((d.repo_id, d.service, d.environment), []).append(d)
    facts = Facts(repo_team, deployments, successful, _changes(conn))
    facts.by_id = {d.id: d for ds in successful.values() for d in ds}
    facts.copies = _environment_copies(successful)
    _ship(facts)
    return facts


def _environment_copies(successful: dict[tuple[int, str | None, str], list[Deployment]]) -> dict[int, int]:
    """METRICS.md "One sha in several production environments counts once": the environment that deployed a
    sha first releases it; the n-th deployment of the sha in another environment copies the release
    environment's n-th one, when that came earlier."""
    by_service: dict[tuple[int, str | None], list[Deployment]] = {}
    for (repo, service, _env), deps in successful.items():
        by_service.setdefault((repo, service), []).extend(deps)
    out: dict[int, int] = {}
    for deps in by_service.values():
        released_in: dict[str, str] = {}
        arrivals: dict[tuple[str, str], list[Deployment]] = {}  # (environment, sha) -> its deployments so far
        for d in sorted(deps, key=lambda d: (d.deployed_at, d.id)):
            release_env = released_in.setdefault(d.sha, d.environment)
            mine = arrivals.setdefault((d.environment, d.sha), [])
            mine.append(d)
            released = arrivals.get((release_env, d.sha), [])
            if d.environment != release_env and len(released) >= len(mine):
                out[d.id] = released[len(mine) - 1].id
    return out


def _changes(conn: sqlite3.Connection) -> dict[tuple[int, int], Change]:
    rows = conn.execute(
        """SELECT r.repo_id, r.number, r.author_id, r.created_at, r.merged_at, r.merge_sha, c.main_pos,
                  (SELECT min(pc_c.author_at) FROM pull_commits pc
                   JOIN commits pc_c ON pc_c.repo_id = pc.repo_id AND pc_c.sha = pc.sha
                   WHERE pc.repo_id = r.repo_id AND pc.number = r.number),
                  r.reverts, r.service
           FROM pulls r JOIN commits c ON c.repo_id = r.repo_id AND c.sha = r.merge_sha
           WHERE r.merged_at IS NOT NULL ORDER BY r.repo_id, r.number"""
    ).fetchall()
    return {(r[0], r[1]): Change(*r) for r in rows}


def _ship(facts: Facts) -> None:
    """METRICS.md's deployment <-> change rule, with the first-deployment exclusion across environments;
    each service its own chain, delivering only the changes that touch it."""
    merges: dict[int, list[tuple[int, Change]]] = {}
    for ch in facts.changes.values():
        merges.setdefault(ch.repo_id, []).append((ch.merge_pos, ch))
    for lst in merges.values():
        lst.sort(key=lambda t: t[0])
    positions = {repo: [p for p, _ in lst] for repo, lst in merges.items()}
    firsts: dict[tuple[int, str | None], list[Deployment]] = {}  # each environment's first, per service
    for (repo, service, _env), deps in facts.successful.items():
        firsts.setdefault((repo, service), []).append(deps[0])
    ordered = sorted((d for ds in facts.successful.values() for d in ds), key=lambda d: (d.deployed_at, d.id))
    previous: dict[tuple[int, str | None, str], Deployment] = {}
    for d in ordered:  # across environments and services, the first deployment that ships a change owns it
        prev = previous.get((d.repo_id, d.service, d.environment))
        previous[(d.repo_id, d.service, d.environment)] = d
        if prev is None:
            continue
        d.is_measurable = d.is_tracked and prev.is_tracked
        lst, pos = merges.get(d.repo_id, []), positions.get(d.repo_id, [])
        lo, hi = bisect.bisect_right(pos, prev.main_pos), bisect.bisect_right(pos, d.main_pos)
        # reachable from an environment's first deployment at or before d: in production before we measure
        seen = max((f.main_pos for f in firsts[(d.repo_id, d.service)] if f.deployed_at <= d.deployed_at),
                   default=-1)  # fmt: skip
        for merge_pos, ch in lst[lo:hi]:
            if ch.shipment is None and merge_pos > seen and ch.touches(d):
                ch.shipment = d


def window_candidates(facts: Facts) -> set[int]:
    """Successful production deployments an incident's time window may blame: each that shipped a commit of
    its service (a merge of its service above the previous deployment of its chain) or is the first there."""
    merges: dict[int, list[Change]] = {}
    for ch in facts.changes.values():
        merges.setdefault(ch.repo_id, []).append(ch)

    def shipped_a_commit(d: Deployment, prev: Deployment) -> bool:
        if d.service is None:  # every commit above the previous sha is the repository's
            return d.main_pos > prev.main_pos
        return any(prev.main_pos < ch.merge_pos <= d.main_pos and ch.touches(d) for ch in merges.get(d.repo_id, []))

    return {d.id for deps in facts.successful.values() for d, prev in zip(deps, [None, *deps[:-1]], strict=True)
            if prev is None or shipped_a_commit(d, prev)}  # fmt: skip


def hours(later: int | None, earlier: int | None) -> float | None:
    return None if later is None or earlier is None else (later - earlier) / HOUR


def week(ts: int) -> str:
    d = date.fromordinal(719163 + ts // 86400)
    return (d - timedelta(days=d.weekday())).isoformat()


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
