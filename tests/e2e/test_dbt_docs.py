"""The dbt docs published beside the BI snapshot describe exactly what BI reads.

The catalog is generated from the published snapshot itself, so it lists every column each mart table really
has; a column there without a description in the models' yml (a new column nobody documented) fails here,
and so does a documented column the table no longer has. Reuses the shared demo run: one extra
`dbt docs generate` (about a minute), no build.
"""

from __future__ import annotations

import json

import duckdb

from extractors.core.config import load_config
from extractors.dbt_docs import publish_docs


def _mart_models(manifest: dict) -> dict[str, dict]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")
    }


def test_published_docs_describe_every_mart_column(demo_published, monkeypatch):
    state_dir = demo_published.parent.parent
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(state_dir))
    config = load_config(state_dir.parent / "config.yml")

    with duckdb.connect(str(demo_published), read_only=True) as reader:  # a dashboard holding the snapshot open
        docs = publish_docs(config)
        assert reader.execute("select count(*) from marts.rpt_dora_weekly").fetchone()[0] > 0

    assert docs == demo_published.parent / "docs"
    assert sorted(path.name for path in docs.iterdir()) == ["catalog.json", "index.html", "manifest.json"]
    manifest = json.loads((docs / "manifest.json").read_text())
    catalog = json.loads((docs / "catalog.json").read_text())
    marts = _mart_models(manifest)
    assert len(marts) >= 20

    not_built = sorted(node["name"] for unique_id, node in marts.items() if unique_id not in catalog["nodes"])
    assert not_built == [], f"marts missing from the published snapshot's catalog: {not_built}"
    undocumented, stale = {}, {}
    for unique_id, node in marts.items():
        built = {name.lower() for name in catalog["nodes"][unique_id]["columns"]}
        described = {name.lower() for name, column in node["columns"].items() if column["description"].strip()}
        documented = {name.lower() for name in node["columns"]}
        if built - described:
            undocumented[node["name"]] = sorted(built - described)
        if documented - built:
            stale[node["name"]] = sorted(documented - built)
    assert undocumented == {}, f"mart columns without a description in their _*__models.yml: {undocumented}"
    assert stale == {}, f"documented columns the built tables do not have: {stale}"
    assert all(node["description"].strip() for node in marts.values())

    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert {"delivery_html_report", "delivery_dashboard_app", "delivery_regression_alerts"} <= set(exposures)
    assert "model.delivery_warehouse.alerts" in exposures["delivery_regression_alerts"]["depends_on"]["nodes"]

    index = (docs / "index.html").read_text()  # dbt's static page: manifest and catalog inlined, opens from disk
    assert "rpt_dora_weekly" in index and "delivery_html_report" in index
