"""What the actions share."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict


def validate(data_dict: DataDict, schema: dict[str, Any], context: Context) -> dict[str, Any]:
    """The data validated by ``schema``; raises ValidationError naming each field at fault."""
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def show(context: Context, package_id: str, dataset_type: str, not_found: str) -> dict[str, Any]:
    """The package ``package_id`` as the user may see it, if it is of ``dataset_type``;
    ObjectNotFound with the message ``not_found`` otherwise."""
    pkg = tk.get_action("package_show")({"user": context.get("user")}, {"id": package_id})
    if pkg.get("type") != dataset_type:
        raise tk.ObjectNotFound(not_found)
    return pkg


def reason(errors: dict[str, Any], prefix: str = "") -> str:
    """A ValidationError's error dict as one line: ``field: message; field: message``
    (``prefix`` before each field name)."""
    return "; ".join(f"{prefix}{field}: {' '.join(map(str, msgs))}" for field, msgs in errors.items())
