"""Pages of the transparency portal that are not dataset pages."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

transparency = Blueprint("transparency", __name__)


@transparency.route("/statistics")
def statistics() -> str:
    stats = tk.get_action("transparency_catalog_statistics")({}, {})
    return tk.render("transparency/statistics.html", {"stats": stats})
