"""Indicators on the government: the series of values of an ``indicator``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ... import figures, indicators, portal
from .. import schema as schemas
from .common import show, validate

__all__ = ["transparency_indicator_series"]


@tk.side_effect_free
def transparency_indicator_series(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The values of an indicator: computed from the portal's own figures, the
    ones /statistics and /publications/coverage show, when it has a ``live_source``
    (``ati-on-time``: the share of answered requests answered within the deadline,
    per quarter of receipt; ``publication-coverage``: the share of the art. 10
    categories the institutions cover; ``commitments-completed``: commitments the
    IRM found complete; the last two as of the current quarter); else read from
    its first uploaded CSV resource.

    :param id: the indicator's name or id
    :type id: string
    :returns: ``resource_id`` (None without a CSV), ``unit``, ``points``
        (``[{"period", "value"}]`` sorted by period, rows without a breakdown),
        ``breakdowns`` (``[{"name", "points"}]``), ``latest``, ``previous``,
        ``change``, ``change_percent`` and ``errors`` (``[{"line", "message"}]``:
        the rows that could not be read, which are left out)
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = show(context, data["id"], "indicator", tk._("No indicator {id}").format(id=data["id"]))
    resource = next((r for r in pkg["resources"] if r.get("url_type") == "upload"
                     and ((r.get("format") or "").lower() == "csv" or r["url"].lower().endswith(".csv"))), None)
    parsed: dict[str, Any] = {"points": [], "breakdowns": {}, "errors": []}
    if pkg.get("live_source"):
        parsed["points"] = _LIVE[pkg["live_source"]](context)
    elif resource:
        with open(uploader.get_resource_uploader(resource).get_path(resource["id"]), "rb") as stream:
            raw = stream.read()
        try:
            parsed = indicators.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            parsed["errors"] = [(1, indicators.N_("The file is not a CSV file in UTF-8"), {})]
    return dict(indicators.change(parsed["points"]),
                resource_id=resource["id"] if resource and not pkg.get("live_source") else None,
                unit=pkg.get("unit"), live_source=pkg.get("live_source"),
                points=parsed["points"],
                breakdowns=[{"name": name, "points": points} for name, points in parsed["breakdowns"].items()],
                errors=[{"line": line, "message": tk._(template).format(**params)}
                        for line, template, params in parsed["errors"]])


def _statistics(context: Context, **filters: Any) -> dict[str, Any]:
    return tk.get_action("transparency_statistics")({"user": context.get("user")}, filters)


def _ati_on_time(context: Context) -> list[dict[str, Any]]:
    months = _statistics(context)["requests"]["by_month"]
    if not months:
        return []
    points = []
    for label, start, end in indicators.quarters(months[0]["name"], portal.today()):
        requests = _statistics(context, start=start.isoformat(), end=end.isoformat())["requests"]
        if requests["on_time_percent"] is not None:
            points.append({"period": label, "value": requests["on_time_percent"]})
    return points


def _publication_coverage(context: Context) -> list[dict[str, Any]]:
    coverage = tk.get_action("transparency_publication_coverage")({"user": context.get("user")}, {})
    value = figures.percent(sum(i["covered"] for i in coverage["institutions"]),
                            coverage["categories"] * len(coverage["institutions"]))
    return [] if value is None else [{"period": indicators.quarter(portal.today()), "value": value}]


def _commitments_completed(context: Context) -> list[dict[str, Any]]:
    completion = _statistics(context)["action_plan"]["by_completion"]
    return [{"period": indicators.quarter(portal.today()),
             "value": next((i["count"] for i in completion if i["name"] == "complete"), 0)}]


_LIVE = {"ati-on-time": _ati_on_time, "publication-coverage": _publication_coverage,
         "commitments-completed": _commitments_completed}
