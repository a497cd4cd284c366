"""Indicators on the government: the series of values of an ``indicator``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ... import indicators
from .. import schema as schemas
from .common import show, validate

__all__ = ["transparency_indicator_series"]


@tk.side_effect_free
def transparency_indicator_series(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The values of an indicator, read from its first uploaded CSV resource.

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
    if resource:
        with open(uploader.get_resource_uploader(resource).get_path(resource["id"]), "rb") as stream:
            raw = stream.read()
        try:
            parsed = indicators.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            parsed["errors"] = [(1, indicators.N_("The file is not a CSV file in UTF-8"), {})]
    return dict(indicators.change(parsed["points"]),
                resource_id=resource["id"] if resource else None, unit=pkg.get("unit"),
                points=parsed["points"],
                breakdowns=[{"name": name, "points": points} for name, points in parsed["breakdowns"].items()],
                errors=[{"line": line, "message": tk._(template).format(**params)}
                        for line, template, params in parsed["errors"]])
