"""The Vega, Vega-Lite and vega-embed JavaScript, inlined into the report so it draws with no network.

vl-convert bundles them (~0.9 MB) in about 5 s, so the bundle is kept in the pipeline's state folder (never
the user's home), keyed by the vl-convert and Vega-Lite versions: only the first report after an upgrade pays
for it. A cache that cannot be written is skipped, never an error.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import altair as alt
import vl_convert

from extractors.core.config import default_state_dir

VEGA_LITE_VERSION = ".".join(alt.VEGALITE_VERSION.split(".")[:2])  # vl-convert takes "6.4", not "6.4.1"


def cache_dir() -> Path:
    return default_state_dir() / "cache"


@functools.cache
def vega_bundle() -> str:
    path = cache_dir() / f"vega-bundle-vlc{vl_convert.__version__}-vl{VEGA_LITE_VERSION}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as tmp:
            tmp.write(bundle)
        os.replace(tmp.name, path)  # atomic: two reports at once never read half a file
    except OSError:
        pass
    return bundle
