"""What has already been asked or published, shown to a person typing a request."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ... import privacy, textsearch
from .. import schema as schemas
from .common import validate

__all__ = ["transparency_ati_similar"]

SUGGESTIONS = 6
# Open data, proactive publications and requests that received an answer (in full
# or in part; the outcome stays when a complaint follows). Unanswered requests are
# left out; private records too (package_search's default).
_SHOWN = '+(dataset_type:(dataset OR publication) OR (+dataset_type:"ati-request" +outcome:(answered OR "partly-answered")))'


@tk.side_effect_free
def transparency_ati_similar(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The answered requests, publications and datasets closest to a request being
    typed (its subject; its text while no subject is typed), best first (the
    portal's Arabic and French search, edismax over the same fields as the search
    pages). Public records only; no requester's data.

    :param subject: the subject typed (at most 200 characters)
    :type subject: string
    :param text: the information requested, as typed (at most 5000 characters)
    :type text: string
    :returns: up to 6 records ``{"type", "name", "title", "title_ar", "state",
        "organization": {"name", "title"}, "url"}``; ``state`` is a request's state
        (None for other records)
    :rtype: list of dictionaries
    """
    tk.check_access("transparency_ati_similar", context, data_dict)
    data = validate(data_dict, schemas.ati_similar(), context)
    # What is typed may carry a CIN, a telephone or an e-mail address: masked before it
    # becomes a query (Solr logs queries).
    q = textsearch.suggestion_query(privacy.mask(data.get("subject", "")), privacy.mask(data.get("text", "")))
    if not q:
        return []
    found = tk.get_action("package_search")({"user": context.get("user")}, {
        **textsearch.words_query(q, textsearch.SUGGESTION_MATCH), "fq": _SHOWN, "rows": SUGGESTIONS, "include_private": False})
    return [{"type": pkg["type"], "name": pkg["name"], "title": pkg.get("title"), "title_ar": pkg.get("title_ar"),
             "state": pkg.get("ati_state") if pkg["type"] == "ati-request" else None,
             "organization": {k: (pkg.get("organization") or {}).get(k) for k in ("name", "title")},
             "url": tk.url_for(pkg["type"] + ".read", id=pkg["name"], _external=True)}
            for pkg in found["results"]]
