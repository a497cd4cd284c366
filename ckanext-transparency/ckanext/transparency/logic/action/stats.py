"""Figures on the portal."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

__all__ = ["transparency_catalog_statistics"]


@tk.side_effect_free
def transparency_catalog_statistics(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Counts of the public records of the portal, by type and by institution.

    One faceted search answers it, whatever the size of the catalogue.

    :returns: ``total``, ``by_type`` (``[{"type", "count"}]``) and
        ``by_institution`` (``[{"name", "title", "count"}]``, largest first)
    :rtype: dictionary
    """
    tk.check_access("transparency_catalog_statistics", context, data_dict)
    result = tk.get_action("package_search")(
        {"user": context.get("user")},
        {"rows": 0, "facet.field": ["dataset_type", "organization"], "facet.limit": -1},
    )
    facets = result["search_facets"]
    return {
        "total": result["count"],
        "by_type": [{"type": i["name"], "count": i["count"]}
                    for i in sorted(facets["dataset_type"]["items"], key=lambda i: -i["count"])],
        "by_institution": [{"name": i["name"], "title": i["display_name"], "count": i["count"]}
                           for i in sorted(facets["organization"]["items"], key=lambda i: -i["count"])],
    }
