"""JSON shapes for users, organizations and repositories, field for field as GitHub returns them."""

from simulator.github.urls import Urls, node_id
from simulator.timeutil import iso

WEB_FLOW = {"id": 19864447, "login": "web-flow"}  # GitHub's committer for merges made in the UI


def user(urls: Urls, login: str, uid: int, kind: str = "User") -> dict:
    u = f"{urls.api}/users/{login}"
    return {
        "login": login,
        "id": uid,
        "node_id": node_id(kind, uid),
        "avatar_url": f"{urls.web}/avatars/u/{uid}?v=4",
        "gravatar_id": "",
        "url": u,
        "html_url": f"{urls.web}/{login}",
        "followers_url": f"{u}/followers",
        "following_url": f"{u}/following{{/other_user}}",
        "gists_url": f"{u}/gists{{/gist_id}}",
        "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{u}/subscriptions",
        "organizations_url": f"{u}/orgs",
        "repos_url": f"{u}/repos",
        "events_url": f"{u}/events{{/privacy}}",
        "received_events_url": f"{u}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


def org_id(org: str) -> int:
    return 9_000_000 + sum(ord(ch) for ch in org)


def repository(urls: Urls, r, full: bool = False) -> dict:
    """`r` is a repos row. full=True adds what GET /repos/{o}/{r} returns beyond the list shape."""
    api, name = urls.repo(r["full_name"]), r["full_name"]
    owner = user(urls, r["owner"], org_id(r["owner"]), "Organization")
    out = {
        "id": r["id"],
        "node_id": node_id("Repository", r["id"]),
        "name": r["name"],
        "full_name": name,
        "private": True,
        "owner": owner,
        "html_url": urls.html(name),
        "description": f"{r['name']} service",
        "fork": False,
        "url": api,
    }
    for key, suffix in (
        ("archive_url", "/{archive_format}{/ref}"), ("assignees_url", "/assignees{/user}"),
        ("blobs_url", "/git/blobs{/sha}"), ("branches_url", "/branches{/branch}"),
        ("collaborators_url", "/collaborators{/collaborator}"), ("comments_url", "/comments{/number}"),
        ("commits_url", "/commits{/sha}"), ("compare_url", "/compare/{base}...{head}"),
        ("contents_url", "/contents/{+path}"), ("contributors_url", "/contributors"),
        ("deployments_url", "/deployments"), ("downloads_url", "/downloads"), ("events_url", "/events"),
        ("forks_url", "/forks"), ("git_commits_url", "/git/commits{/sha}"), ("git_refs_url", "/git/refs{/sha}"),
        ("git_tags_url", "/git/tags{/sha}"), ("issue_comment_url", "/issues/comments{/number}"),
        ("issue_events_url", "/issues/events{/number}"), ("issues_url", "/issues{/number}"),
        ("keys_url", "/keys{/key_id}"), ("labels_url", "/labels{/name}"), ("languages_url", "/languages"),
        ("merges_url", "/merges"), ("milestones_url", "/milestones{/number}"),
        ("notifications_url", "/notifications{?since,all,participating}"), ("pulls_url", "/pulls{/number}"),
        ("releases_url", "/releases{/id}"), ("stargazers_url", "/stargazers"),
        ("statuses_url", "/statuses/{sha}"), ("subscribers_url", "/subscribers"),
        ("subscription_url", "/subscription"), ("tags_url", "/tags"), ("teams_url", "/teams"),
        ("trees_url", "/git/trees{/sha}"), ("hooks_url", "/hooks"),
    ):  # fmt: skip
        out[key] = api + suffix
    host = urls.web.split("://", 1)[-1]
    out.update({
        "created_at": iso(r["created_at"]), "updated_at": iso(r["pushed_at"]), "pushed_at": iso(r["pushed_at"]),
        "git_url": f"git://{host}/{name}.git", "ssh_url": f"git@{host}:{name}.git",
        "clone_url": f"{urls.web}/{name}.git", "svn_url": urls.html(name), "homepage": None, "size": 1024,
        "stargazers_count": 0, "watchers_count": 0, "language": "Python", "has_issues": True,
        "has_projects": True, "has_downloads": True, "has_wiki": False, "has_pages": False,
        "has_discussions": False, "forks_count": 0, "mirror_url": None, "archived": False, "disabled": False,
        "open_issues_count": 0, "license": None, "allow_forking": False, "is_template": False,
        "web_commit_signoff_required": False, "topics": [], "visibility": "private", "forks": 0,
        "open_issues": 0, "watchers": 0, "default_branch": "main",
        "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
    })  # fmt: skip
    if full:
        out.update({"temp_clone_token": "", "organization": owner, "network_count": 0, "subscribers_count": 0})
    return out
