"""Institutions at national scale: their import and their public record."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import institutions
from .. import schema as schemas
from .common import validate

__all__ = ["transparency_institutions_import", "transparency_institution_show"]


def transparency_institutions_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Creates or updates institutions and their hierarchy from a CSV file with the
    columns ``code`` (the institution's name in addresses), ``title_fr``,
    ``title_ar``, ``acronym`` (optional), ``kind`` (a kind of body of the
    organization schema), ``parent`` (the code of an institution of the portal or
    of an earlier line; empty at the top) and ``contact_email`` (optional: the
    information officer's institutional address). Good rows are saved, each on its
    own; a bad row changes nothing and is reported with its line. Importing the
    same file again changes nothing. Sysadmins only
    (``ckan transparency institutions import FILE.csv`` does the same with a progress bar).

    :param csv: the file's text (UTF-8)
    :type csv: string
    :returns: ``{"created", "updated", "unchanged", "rejected": [{"line", "code", "errors"}]}``
    :rtype: dictionary
    """
    tk.check_access("transparency_institutions_import", context, data_dict)
    data = validate(data_dict, schemas.institutions_import(), context)
    rows = institutions.read(data["csv"])
    return institutions.summary(list(institutions.import_rows(rows)))


@tk.side_effect_free
def transparency_institution_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An institution's public record: its place in the hierarchy (parents from the
    top, children), its information officer's institutional address, the requests
    it received and answered within the deadline, its publication coverage.

    :param id: the institution's name or id
    :type id: string
    :returns: ``{"name", "title", "title_ar", "kind", "contact_email", "parents":
        [{"name", "title"}], "children": [...], "requests": {"received",
        "answered", "on_time", "on_time_percent"}, "coverage": {"covered", "categories"}}``
    :rtype: dictionary
    """
    tk.check_access("transparency_institution_show", context, data_dict)
    data = validate(data_dict, schemas.package_id(), context)
    org = model.Group.get(data["id"])
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("No institution has this name"))
    public = {"user": context.get("user")}
    shown = tk.get_action("organization_show")(dict(public), {"id": org.id, "include_datasets": False,
                                                              "include_users": False})
    stats = tk.get_action("transparency_statistics")(dict(public), {"institution": org.id})["requests"]
    coverage = tk.get_action("transparency_publication_coverage")(dict(public), {"id": org.id})
    return dict({key: shown.get(key) for key in ("name", "title", "title_ar", "acronym", "kind", "contact_email")},
                **institutions.record(org),
                requests={key: stats.get(key) for key in ("received", "answered", "on_time", "on_time_percent")},
                coverage={"covered": coverage["covered"], "categories": len(coverage["categories"])})
