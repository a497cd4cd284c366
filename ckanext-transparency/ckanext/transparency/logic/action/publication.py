"""What each institution has and has not published, per art. 10 category."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ... import choices
from .. import schema as schemas
from .common import validate

__all__ = ["transparency_publication_coverage"]


def _categories() -> list[str]:
    return choices.values("publication", "category")


def _facets(context: Context, fq: str, fields: list[str]) -> tuple[int, dict[str, dict[str, int]]]:
    result = tk.get_action("package_search")({"user": context.get("user")}, {
        "fq": fq, "rows": 0, "facet.field": fields, "facet.limit": -1})
    return result["count"], {field: {i["name"]: i["count"] for i in result["search_facets"][field]["items"]}
                             for field in fields}


@tk.side_effect_free
def transparency_publication_coverage(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What institutions publish under article 10 of law 31-13: with ``id``, one
    institution's public publications per category (the categories it has not
    published in have a count of 0), per year, and its latest publication;
    without, every institution with how many publications it has and how many of
    the categories they cover.

    :param id: an institution's name or id (optional)
    :type id: string
    :returns: ``{"organization", "total", "categories": [{"category", "count"}],
        "covered", "missing", "years": [{"year", "count"}], "latest"}`` for one
        institution; ``{"categories", "institutions": [{"name", "title", "count",
        "covered"}]}`` for all
    :rtype: dictionary
    """
    tk.check_access("transparency_publication_coverage", context, data_dict)
    data = validate(data_dict, schemas.publication_coverage(), context)
    categories = _categories()
    if not data.get("id"):
        _, facets = _facets(context, "+dataset_type:publication", ["organization"])
        institutions = tk.get_action("organization_list")({"user": context.get("user")}, {
            "all_fields": True, "sort": "title asc", "limit": 1000})
        rows = []
        for org in institutions:
            count = facets["organization"].get(org["name"], 0)
            covered = 0
            if count:
                covered = len(_facets(context, '+dataset_type:publication +organization:"{}"'.format(org["name"]),
                                      ["category"])[1]["category"])
            rows.append({"name": org["name"], "title": org["title"] or org["name"], "count": count,
                         "covered": covered})
        return {"categories": len(categories), "institutions": rows}
    org = tk.get_action("organization_show")({"user": context.get("user")}, {
        "id": data["id"], "include_datasets": False, "include_users": False})
    fq = '+dataset_type:publication +organization:"{}"'.format(org["name"])
    total, facets = _facets(context, fq, ["category", "publication_year"])
    latest = tk.get_action("package_search")({"user": context.get("user")}, {
        "fq": fq, "rows": 1, "sort": "publication_date desc"})["results"]
    counts = [{"category": c, "count": facets["category"].get(c, 0)} for c in categories]
    return {
        "organization": {"name": org["name"], "title": org["title"] or org["name"]},
        "total": total,
        "categories": counts,
        "covered": sum(1 for c in counts if c["count"]),
        "missing": [c["category"] for c in counts if not c["count"]],
        "years": [{"year": y, "count": n} for y, n in sorted(facets["publication_year"].items(), reverse=True)],
        "latest": {k: latest[0].get(k) for k in ("name", "title", "title_ar", "publication_date")} if latest else None,
    }
