"""A Jira Cloud REST v3 site (served under /jira) over the generated work items."""
