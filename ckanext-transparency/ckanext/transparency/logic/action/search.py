"""CKAN's package_search, degrading gracefully when Solr cannot be reached."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError, SolrConnectionError
from ckan.types import Action, Context, DataDict

__all__ = ["package_search"]


@tk.chained_action
@tk.side_effect_free
def package_search(up: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_search``. When Solr does not answer it raises CKAN's
    SearchError (which pages show as a search error and the API as a 409) instead
    of an error that ends as a server error."""
    try:
        return up(context, data_dict)
    except SolrConnectionError as error:
        raise SearchError(tk._("Search is temporarily unavailable")) from error
