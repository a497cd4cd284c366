"""Actions on following: saved searches, and the link that stops a digest
(requests and institutions are followed with CKAN's ``follow_dataset`` and
``follow_group``)."""
from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import follow
from ...model import SavedSearch, stop_following
from .. import schema as schemas
from .common import validate

__all__ = [
    "transparency_saved_search_create",
    "transparency_saved_search_list",
    "transparency_saved_search_delete",
    "transparency_follow_stop",
]


def transparency_saved_search_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Follows a search of the signed-in user: its new results come in their daily digest.

    :param dataset_type: the type searched (``dataset``, ``publication``, ``ati-request``...)
    :type dataset_type: string
    :param q: the words searched (optional)
    :type q: string
    :param filters: the search page's filters, as ``[[field, value], ...]`` (optional)
    :type filters: list
    :returns: the saved search
    :rtype: dictionary
    """
    tk.check_access("transparency_saved_search_create", context, data_dict)
    data = validate(data_dict, schemas.saved_search(), context)
    user = model.User.get(context["user"])
    filters = json.dumps(data.get("filters") or [], ensure_ascii=False)
    found = (model.Session.query(SavedSearch).filter_by(user_id=user.id, dataset_type=data["dataset_type"],
                                                        q=data.get("q", ""), filters=filters).first())
    if found is None:
        found = SavedSearch(user_id=user.id, dataset_type=data["dataset_type"], q=data.get("q", ""),
                            filters=filters)
        model.Session.add(found)
        model.repo.commit()
    return dict(found.as_dict(), url=follow.search_url(found))


@tk.side_effect_free
def transparency_saved_search_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The searches the signed-in user follows.

    :rtype: list of dictionaries
    """
    tk.check_access("transparency_saved_search_list", context, data_dict)
    user = model.User.get(context["user"])
    rows = model.Session.query(SavedSearch).filter_by(user_id=user.id).order_by(SavedSearch.id)
    return [dict(row.as_dict(), url=follow.search_url(row)) for row in rows]


def transparency_saved_search_delete(context: Context, data_dict: DataDict) -> None:
    """Stops following one of the signed-in user's searches.

    :param id: the saved search's id
    :type id: int
    """
    tk.check_access("transparency_saved_search_list", context, data_dict)
    user = model.User.get(context["user"])
    try:
        found = model.Session.get(SavedSearch, int(data_dict.get("id")))
    except (TypeError, ValueError):
        found = None
    if found is None or found.user_id != user.id:
        raise tk.ObjectNotFound(tk._("You follow no search with this id"))
    model.Session.delete(found)
    model.repo.commit()


def transparency_follow_stop(context: Context, data_dict: DataDict) -> dict[str, bool]:
    """Stops the digest whose link carries ``token``, without signing in: its reader
    no longer follows any request, institution or search. A link works once.

    :param token: the token of the digest's link
    :type token: string
    :returns: ``{"stopped": true}``
    :rtype: dictionary
    """
    tk.check_access("transparency_follow_stop", context, data_dict)
    digest = follow.digest_of_token(str(data_dict.get("token") or ""))
    if digest is None:
        raise tk.ObjectNotFound(tk._("This link is not one of the portal's digests"))
    if digest.stopped is not None:
        raise tk.ValidationError({"token": [tk._("This link has already been used: the digest was stopped")]})
    stop_following(digest.user_id)
    digest.stopped = datetime.datetime.utcnow()
    model.repo.commit()
    return {"stopped": True}
