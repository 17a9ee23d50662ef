"""The report's one HTML file: styles, the Vega runtime and every chart's Vega-Lite spec inline, CSVs as data: URIs.

Nothing on the page points outside it: no src or href to a network address, charts drawn by the inlined
runtime from their embedded specs (the `vega-lite-spec` JSON scripts), the rules appended (rules.py).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
from html import escape

from extractors.dashboards import formatting as fmt
from extractors.dashboards.queries import QUERIES
from extractors.dashboards.rules import rule_anchor
from extractors.dashboards.sections import Figure, Section

Rows = tuple[list[str], list[tuple]]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
.meta, .sample, .links, small { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.9rem; } th, td { border: 1px solid #ddd; padding: 0.35rem 0.5rem;
  vertical-align: top; text-align: left; }
td.verdict { font-weight: 600; }
figure { margin: 1.5rem 0; } .chart { min-height: 60px; } .chart-error { color: #b00; }
pre.rule { white-space: pre-wrap; background: #f7f7f7; padding: 0.75rem; font-size: 0.85rem; }
"""

# draws every embedded spec; a chart that fails says so in its own place instead of leaving a blank
_DRAW = """
for (const script of document.querySelectorAll('script.vega-lite-spec')) {
  const target = document.getElementById(script.dataset.chart);
  vegaEmbed(target, JSON.parse(script.textContent), {mode: 'vega-lite', renderer: 'svg', actions: false})
    .catch((error) => {
      target.textContent = 'This chart could not be drawn: ' + error;
      target.className += ' chart-error';
    });
}
"""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def csv_text(columns: list[str], rows: list[tuple]) -> str:
    """The rows as CSV: a header, ISO dates, empty for null, floats as Python writes them (exact round-trip)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_data_uri(columns: list[str], rows: list[tuple]) -> str:
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_text(columns, rows).encode()).decode()


def _script_json(value: object) -> str:
    """JSON that cannot end the <script> element holding it."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def download_link(name: str, rows: Rows) -> str:
    columns, values = rows
    return (
        f'<a class="csv" data-query="{name}" download="{name}.csv" href="{csv_data_uri(columns, values)}">'
        f"{name}.csv</a> ({len(values):,} rows)"
    )


def rule_link(section: str) -> str:
    return f'<a class="rule-link" href="#{rule_anchor(section)}">METRICS.md § {escape(section)}</a>'


def figure_html(figure: Figure, rows: dict[str, Rows]) -> str:
    chart_id = f"chart-{figure.key}"
    spec = _script_json(figure.chart.to_dict(validate=False))  # validated by the tests, not on every write
    downloads = " · ".join(download_link(name, rows[name]) for name in figure.queries)
    return f"""
<figure id="{figure.key}">
  <h3>{escape(figure.title)}</h3>
  <div class="chart" id="{chart_id}"></div>
  <script type="application/json" class="vega-lite-spec" data-chart="{chart_id}">{spec}</script>
  <figcaption>
    <p class="sample">{escape(figure.sample)}</p>
    <p class="links">Rule: {rule_link(figure.metrics_section)} · Rows: {downloads}</p>
  </figcaption>
</figure>"""


def section_html(section: Section, rows: dict[str, Rows]) -> str:
    intro = f"<p>{escape(section.intro)}</p>" if section.intro else ""
    figures = "".join(figure_html(figure, rows) for figure in section.figures)
    return f"<section><h2>{escape(section.title)}</h2>{intro}{figures}</section>"


def status_html(status: dict, rows: dict[str, Rows]) -> str:
    """When the data was last loaded and what was set aside: a reader must know before trusting a number."""
    columns, values = rows["data_freshness"]
    table = "".join("<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>" for row in values)
    return f"""
<section id="data-status"><h2>The data</h2>
<p>Last loaded <strong data-field="last_loaded_at">{fmt.moment(status["last_loaded_at"])}</strong>;
weeks {fmt.day(status["first_week"])} to {fmt.day(status["last_week"])}; {fmt.count(status["landing_files_loaded"])}
landing files loaded.
Data quality: <span data-field="invalid_values">{fmt.count(status["invalid_values"])}</span> values staging could not
use (<span data-field="excluded_records">{fmt.count(status["excluded_records"])}</span> records left out of the
marts); <span data-field="quarantined_records">{fmt.count(status["quarantined_records"])}</span> records quarantined;
<span data-field="rejected_files">{fmt.count(status["rejected_files"])}</span> landing files rejected.</p>
<details><summary>Each stream's last load</summary>
<table><thead><tr>{"".join(f"<th>{escape(c)}</th>" for c in columns)}</tr></thead><tbody>{table}</tbody></table>
</details>
<p class="links">Rules: {rule_link(QUERIES["data_freshness"].metrics_section)},
{rule_link(QUERIES["data_status"].metrics_section)} ·
Rows: {download_link("data_status", rows["data_status"])} ·
{download_link("data_freshness", rows["data_freshness"])}</p>
</section>"""


def rules_html(cited: list[str], texts: dict[str, str]) -> str:
    parts = []
    for section in cited:
        text = texts.get(section)
        body = f'<pre class="rule">{escape(text)}</pre>' if text else "<p>(METRICS.md was not beside the code.)</p>"
        parts.append(f'<section id="{rule_anchor(section)}"><h3>METRICS.md § {escape(section)}</h3>{body}</section>')
    return (
        '<section id="rules"><h2>The rules behind these numbers</h2><p class="meta">Copied from METRICS.md when '
        "this report was written, so the file explains itself wherever it is mailed.</p>"
        + "".join(parts)
        + "</section>"
    )


def render_page(
    *,
    title: str,
    written_at: dt.datetime,
    status: dict,
    verdicts: str,
    sections: tuple[Section, ...],
    rows: dict[str, Rows],
    rule_texts: dict[str, str],
    vega_bundle: str,
) -> str:
    cited = list(dict.fromkeys(
        [QUERIES[name].metrics_section for name in ("team_verdicts", "data_freshness", "data_status")]
        + [figure.metrics_section for section in sections for figure in section.figures]
    ))  # fmt: skip
    body = "".join(section_html(section, rows) for section in sections)
    runtime = vega_bundle.replace("</script", "<\\/script")  # cannot end its own element
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
<script>{runtime}</script>
</head>
<body>
<h1>{escape(title)}</h1>
<p class="meta">Written {fmt.moment(written_at)} from the published snapshot. Every number below is read from its
marts; each chart names its sample, links to its rule and offers its rows as CSV.</p>
<section id="verdicts"><h2>Busier or faster?</h2>{verdicts}
<p class="links">Rule: {rule_link(QUERIES["team_verdicts"].metrics_section)} · Rows:
{download_link("team_verdicts", rows["team_verdicts"])} · {download_link("ai_impact", rows["ai_impact"])}</p></section>
{status_html(status, rows)}
{body}
{rules_html(cited, rule_texts)}
<script>{_DRAW}</script>
</body>
</html>
"""
