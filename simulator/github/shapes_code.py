"""JSON shapes for commits, pull requests and reviews."""

import json

from simulator.github.directory import Directory
from simulator.github.shapes_core import WEB_FLOW, user
from simulator.github.urls import Urls, node_id
from simulator.timeutil import iso


def _user_by_email(urls: Urls, d: Directory, email: str) -> dict | None:
    if email == "noreply@github.com":
        return user(urls, WEB_FLOW["login"], WEB_FLOW["id"])
    hit = d.by_email.get(email.lower())
    return user(urls, *hit) if hit else None


def person(urls: Urls, d: Directory, pid: int | None) -> dict | None:
    return user(urls, *d.by_id[pid]) if pid in d.by_id else None


def commit(urls: Urls, d: Directory, full_name: str, c) -> dict:
    """A commits-list item; `c` is a commits row."""
    api = urls.repo(full_name)
    sha = c["sha"]
    return {
        "sha": sha,
        "node_id": node_id("Commit", f"{full_name}:{sha}"),
        "commit": {
            "author": {"name": c["author_name"], "email": c["author_email"], "date": iso(c["author_at"])},
            "committer": {"name": c["committer_name"], "email": c["committer_email"], "date": iso(c["committer_at"])},
            "message": c["message"].rstrip("\n"),
            "tree": {"sha": c["tree_sha"], "url": f"{api}/git/trees/{c['tree_sha']}"},
            "url": f"{api}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None,
                             "verified_at": None},  # fmt: skip
        },
        "url": f"{api}/commits/{sha}",
        "html_url": f"{urls.html(full_name)}/commit/{sha}",
        "comments_url": f"{api}/commits/{sha}/comments",
        "author": _user_by_email(urls, d, c["author_email"]),
        "committer": _user_by_email(urls, d, c["committer_email"]),
        "parents": [
            {"sha": p, "url": f"{api}/commits/{p}", "html_url": f"{urls.html(full_name)}/commit/{p}"}
            for p in c["parents"].split()
        ],
    }


def _branch(urls: Urls, d: Directory, repo: dict, ref: str, sha: str) -> dict:
    owner = repo["owner"]
    return {"label": f"{owner['login']}:{ref}", "ref": ref, "sha": sha, "user": owner, "repo": repo}


def label(urls: Urls, full_name: str, name: str) -> dict:
    label_id = 5_000_000 + sum(ord(ch) * (i + 1) for i, ch in enumerate(name))  # same name, same id
    return {"id": label_id, "node_id": node_id("Label", label_id), "url": f"{urls.repo(full_name)}/labels/{name}",
            "name": name, "color": "ededed", "default": False, "description": None}  # fmt: skip


def pull(urls: Urls, d: Directory, repo: dict, p, full: bool = False) -> dict:
    """A pulls-list item (pull-request-simple); full=True gives GET /pulls/{n}."""
    name, n = repo["full_name"], p["number"]
    api = f"{urls.repo(name)}/pulls/{n}"
    issue = f"{urls.repo(name)}/issues/{n}"
    html = f"{urls.html(name)}/pull/{n}"
    statuses = f"{urls.repo(name)}/statuses/{p['head_sha']}"
    author = person(urls, d, p["author_id"])
    assignees = [person(urls, d, pid) for pid in json.loads(p["assignees"])]
    out = {
        "url": api, "id": p["id"], "node_id": node_id("PullRequest", p["id"]), "html_url": html,
        "diff_url": f"{html}.diff", "patch_url": f"{html}.patch", "issue_url": issue,
        "number": n, "state": p["state"], "locked": False, "title": p["title"], "user": author,
        "body": p["body"], "created_at": iso(p["created_at"]), "updated_at": iso(p["updated_at"]),
        "closed_at": iso(p["closed_at"]), "merged_at": iso(p["merged_at"]), "merge_commit_sha": p["merge_sha"],
        "assignee": assignees[0] if assignees else None, "assignees": assignees,
        "requested_reviewers": [person(urls, d, pid) for pid in json.loads(p["requested"])],
        "requested_teams": [], "labels": [label(urls, name, tag) for tag in json.loads(p["labels"])],
        "milestone": None, "draft": bool(p["draft"]),
        "commits_url": f"{api}/commits", "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{urls.repo(name)}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments", "statuses_url": statuses,
        "head": _branch(urls, d, repo, p["head_ref"], p["head_sha"]),
        "base": _branch(urls, d, repo, "main", p["base_sha"]),
        "_links": {
            "self": {"href": api}, "html": {"href": html}, "issue": {"href": issue},
            "comments": {"href": f"{issue}/comments"}, "review_comments": {"href": f"{api}/comments"},
            "review_comment": {"href": f"{urls.repo(name)}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/commits"}, "statuses": {"href": statuses},
        },
        "author_association": "NONE" if author and author["type"] == "Bot" else "MEMBER",
        "auto_merge": None, "active_lock_reason": None,
    }  # fmt: skip
    if full:
        merged = p["merged_at"] is not None
        out.update({
            "merged": merged, "mergeable": None if p["state"] == "closed" else True, "rebaseable": None,
            "mergeable_state": "unknown" if p["state"] == "closed" else "clean",
            "merged_by": author if merged else None, "comments": 0, "review_comments": 0,
            "maintainer_can_modify": False, "commits": p["commit_count"], "additions": p["additions"],
            "deletions": p["deletions"], "changed_files": p["commit_count"],
        })  # fmt: skip
    return out


def review(urls: Urls, d: Directory, full_name: str, r) -> dict:
    pr_api = f"{urls.repo(full_name)}/pulls/{r['number']}"
    html = f"{urls.html(full_name)}/pull/{r['number']}#pullrequestreview-{r['id']}"
    return {
        "id": r["id"], "node_id": node_id("PullRequestReview", r["id"]),
        "user": person(urls, d, r["reviewer_id"]), "body": r["body"], "state": r["state"],
        "html_url": html, "pull_request_url": pr_api, "author_association": "MEMBER",
        "_links": {"html": {"href": html}, "pull_request": {"href": pr_api}},
        "submitted_at": iso(r["submitted_at"]), "commit_id": r["commit_id"],
    }  # fmt: skip
