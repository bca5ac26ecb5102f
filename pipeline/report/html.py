"""Render the report data as one self-contained HTML page: data, styles and scripts inlined, no network.

The graph is drawn by vis-network, whose build pyvis ships in its package
(``pyvis/templates/lib/vis-9.1.2``); the page inlines it rather than loading it
from a CDN, and its Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

VIS_FOLDER = ("templates", "lib", "vis-9.1.2")


class AssetError(Exception):
    """A file the page inlines is missing; the message says what to install."""


def render_html(data: dict, title: str) -> str:
    """The page for ``data`` (from :func:`pipeline.report.data.build_report_data`)."""
    import jinja2  # noqa: PLC0415 - only the report needs it
    from markupsafe import Markup  # noqa: PLC0415

    assets = resources.files(__package__) / "assets"
    template = jinja2.Template((assets / "report.html").read_text(encoding="utf-8"), autoescape=True)
    vis_js, vis_css = vis_network_assets()
    css, js = ((assets / name).read_text(encoding="utf-8") for name in ("report.css", "report.js"))
    inlined = {name: Markup(_inline(code)) for name, code in
               {"css": css, "js": js, "vis_js": vis_js, "vis_css": vis_css}.items()}
    return template.render(title=title, data=Markup(script_json(data)), **inlined)


def vis_network_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, as pyvis ships them (found without importing pyvis and its IPython).

    Raises:
        AssetError: pyvis is not installed.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise AssetError("the report draws its graph with vis-network from the pyvis package: pip install pyvis")
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*VIS_FOLDER)
    try:
        return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
                (folder / "vis-network.css").read_text(encoding="utf-8"))
    except OSError as err:
        raise AssetError(f"{folder}: vis-network files missing ({err}); reinstall pyvis") from err


def script_json(data: dict) -> str:
    """JSON safe inside a <script> element: every < is escaped, so no </script> or <!-- can end it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _inline(code: str) -> str:
    """Script or style text safe to inline: a closing tag inside it would end the element early."""
    return code.replace("</script", "<\\/script").replace("</style", "<\\/style")
