"""Figures on the portal."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import portal, workflow
from .. import schema as schemas
from .common import validate

__all__ = ["transparency_catalog_statistics", "transparency_ati_statistics"]


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


# One row per public request: its institution and the fields the figures need,
# pivoted from package_extra. Counted by group in SQL: the cost does not grow with
# a loop over requests in Python.
_ATI_GROUPS = sa.text("""
WITH r AS (
  SELECT p.owner_org,
         max(CASE WHEN e.key = 'ati_state' THEN e.value END) AS state,
         max(CASE WHEN e.key = 'received_date' THEN e.value END) AS received,
         max(CASE WHEN e.key = 'due_date' THEN e.value END) AS due,
         max(CASE WHEN e.key = 'answered_date' THEN e.value END) AS answered,
         max(CASE WHEN e.key = 'refusal_ground' THEN e.value END) AS ground
  FROM package p JOIN package_extra e ON e.package_id = p.id AND e.state = 'active'
  WHERE p.type = 'ati-request' AND p.state = 'active' AND NOT p.private
  GROUP BY p.id, p.owner_org)
SELECT owner_org, state, coalesce(ground, '') AS ground,
       answered IS NOT NULL AND answered <> '' AS answered,
       answered IS NOT NULL AND answered <> '' AND answered <= due AS on_time,
       state = ANY(:open) AND due < :today AS overdue,
       count(*) AS n
FROM r
WHERE (CAST(:org AS text) IS NULL OR owner_org = :org)
  AND (CAST(:year AS text) IS NULL OR left(received, 4) = :year)
GROUP BY 1, 2, 3, 4, 5, 6
""")


@tk.side_effect_free
def transparency_ati_statistics(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Public figures on requests for information, for all institutions or one, for
    all years or one: received, by state, refused by article 7 ground, answered
    within the deadline, overdue now, and institutions ranked by on-time answers.

    :param institution: an institution's name or id (optional)
    :type institution: string
    :param year: the year of receipt, e.g. 2026 (optional)
    :type year: int
    :returns: ``received``, ``answered``, ``on_time``, ``on_time_percent``,
        ``overdue``, ``by_state``, ``by_ground``, ``by_institution``
    :rtype: dictionary
    """
    tk.check_access("transparency_catalog_statistics", context, data_dict)
    data = validate(data_dict, schemas.ati_statistics(), context)
    rows = model.Session.execute(_ATI_GROUPS, {
        "open": sorted(workflow.OPEN), "today": portal.today().isoformat(),
        "org": data.get("institution"), "year": str(data["year"]) if data.get("year") else None}).mappings().all()
    by_state: dict[str, int] = {}
    by_ground: dict[str, int] = {}
    by_org: dict[str, dict[str, int]] = {}
    for row in rows:  # one row per group of requests, not per request
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
        if row["ground"]:
            by_ground[row["ground"]] = by_ground.get(row["ground"], 0) + row["n"]
        org = by_org.setdefault(row["owner_org"], {"received": 0, "answered": 0, "on_time": 0, "overdue": 0})
        org["received"] += row["n"]
        org["answered"] += row["n"] if row["answered"] else 0
        org["on_time"] += row["n"] if row["on_time"] else 0
        org["overdue"] += row["n"] if row["overdue"] else 0
    titles = dict(model.Session.query(model.Group.id, model.Group.title).filter(model.Group.id.in_(list(by_org))))
    names = dict(model.Session.query(model.Group.id, model.Group.name).filter(model.Group.id.in_(list(by_org))))
    institutions = [dict(figures, name=names[org_id], title=titles[org_id], on_time_percent=_percent(figures))
                    for org_id, figures in by_org.items()]
    institutions.sort(key=lambda i: (-(i["on_time_percent"] or 0), -i["received"], i["name"]))
    totals = {key: sum(i[key] for i in institutions) for key in ("received", "answered", "on_time", "overdue")}
    return dict(totals, on_time_percent=_percent(totals),
                by_state=[{"state": k, "count": v} for k, v in sorted(by_state.items(), key=lambda kv: -kv[1])],
                by_ground=[{"ground": k, "count": v} for k, v in sorted(by_ground.items(), key=lambda kv: -kv[1])],
                by_institution=institutions)


def _percent(figures: dict[str, int]) -> int | None:
    """Answers given within the deadline, out of the answers given."""
    return round(100 * figures["on_time"] / figures["answered"]) if figures["answered"] else None
