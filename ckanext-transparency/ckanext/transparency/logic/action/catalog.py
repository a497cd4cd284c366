"""ckanext-dcat's catalog, limited to the record types that are DCAT datasets."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ...dcat_profile import catalog_filter

__all__ = ["dcat_catalog_show", "dcat_catalog_search"]


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(up: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-dcat's whole catalog (``/catalog.ttl``...), of open data and
    publications only: the other record types are pulled with ``package_search``.

    :param fq: an extra Solr filter, as in ``package_search``
    :type fq: string
    :param modified_since: only records modified since (ISO 8601)
    :type modified_since: string
    :param page: the page (1, 2... of ``ckanext.dcat.datasets_per_page`` records)
    :type page: int
    :param format: ``ttl``, ``xml``, ``jsonld`` or ``n3``
    :type format: string
    """
    return up(context, dict(data_dict, fq=catalog_filter(data_dict.get("fq"))))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(up: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-dcat's catalog search, of open data and publications only.

    :param q: a Solr query, as in ``package_search``
    :type q: string
    :param fq: an extra Solr filter, as in ``package_search``
    :type fq: string
    :param modified_since: only records modified since (ISO 8601)
    :type modified_since: string
    :param page: the page of results
    :type page: int
    :param format: ``ttl``, ``xml``, ``jsonld`` or ``n3``
    :type format: string
    """
    return up(context, dict(data_dict, fq=catalog_filter(data_dict.get("fq"))))
