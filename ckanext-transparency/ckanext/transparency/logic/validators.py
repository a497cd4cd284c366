"""Validators named in the schemas (``schemas/*.yaml``)."""
from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

_OGP_ID = re.compile(r"^[A-Z]{2}\d{4}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def transparency_ogp_id(value: Any, context: Context) -> Any:
    """An OGP commitment id: two capital letters and four digits (``MO0006``)."""
    if not _OGP_ID.match(value or ""):
        raise tk.Invalid(tk._("An OGP id is two capital letters and four digits, e.g. MO0006"))
    return value


def transparency_unique_ogp_id(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Context) -> None:
    """No other commitment has this OGP id."""
    value = data.get(key)
    if not value:
        return
    query = (
        model.Session.query(model.PackageExtra.package_id)
        .join(model.Package, model.Package.id == model.PackageExtra.package_id)
        .filter(model.PackageExtra.key == "ogp_id", model.PackageExtra.value == value,
                model.PackageExtra.state == "active", model.Package.state != "deleted")
    )
    package_id = data.get(("id",))
    if package_id:
        query = query.filter(model.Package.id != package_id)
    if query.first():
        errors[key].append(tk._("Another commitment already has the OGP id {id}").format(id=value))


def transparency_action_plan_exists(value: Any, context: Context) -> Any:
    """The name or id of an existing action plan."""
    if value:
        pkg = model.Package.get(value)
        if pkg is None or pkg.type != "action-plan" or pkg.state == "deleted":
            raise tk.Invalid(tk._("No action plan is named {name}").format(name=value))
        return pkg.name
    return value


def transparency_month(value: Any, context: Context) -> Any:
    """A month written YYYY-MM."""
    if value and not _MONTH.match(value):
        raise tk.Invalid(tk._("Write the month as YYYY-MM, e.g. 2019-03"))
    return value


def transparency_datasets_exist(value: Any, context: Context) -> Any:
    """Every name of the list is an open dataset of the catalogue."""
    names = json.loads(value) if isinstance(value, str) else value
    for name in names or []:
        pkg = model.Package.get(name)
        if pkg is None or pkg.type != "dataset" or pkg.state == "deleted":
            raise tk.Invalid(tk._("No dataset is named {name}").format(name=name))
    return value
