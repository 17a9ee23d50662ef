"""page/per_page paging with GitHub's Link header (rel first/prev/next/last)."""

from urllib.parse import urlencode

DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 100


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def page_params(query: dict) -> tuple[int, int]:
    per_page = max(1, min(MAX_PER_PAGE, _int(query.get("per_page"), DEFAULT_PER_PAGE)))
    page = max(1, _int(query.get("page"), 1))
    return page, per_page


def link_header(url: str, query: dict, page: int, per_page: int, total: int) -> str | None:
    """GitHub omits the header when everything fits in one page, and prev/first on page 1."""
    last = max(1, -(-total // per_page))
    if last == 1 and page == 1:
        return None

    def href(n: int) -> str:
        return f"<{url}?{urlencode({**query, 'per_page': per_page, 'page': n})}>"

    links = []
    if page > 1:
        links.append(f'{href(min(page - 1, last))}; rel="prev"')
    if page < last:
        links += [f'{href(page + 1)}; rel="next"', f'{href(last)}; rel="last"']
    if page > 1:
        links.append(f'{href(1)}; rel="first"')
    return ", ".join(links)
