"""Reuses proposed by citizens: who may decide on one, and its image.

A proposal is a ``showcase`` package created by the site user, private (CKAN hides
it from search, the API and DCAT for everyone but its institution's members and
sysadmins) until a moderator approves it. Its author is in
``transparency_reuse_proposal`` only, never in the package or its activity.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader


def datasets_used(package: model.Package) -> list[str]:
    """The names of the datasets a reuse says it uses."""
    value = package.extras.get("datasets_used") or "[]"
    return json.loads(value) if value.startswith("[") else [value]


def moderating_orgs(package: model.Package) -> set[str]:
    """The ids of the institutions whose officers may decide on the reuse: those of the
    datasets it uses."""
    names = datasets_used(package)
    rows = model.Session.query(model.Package.owner_org).filter(model.Package.name.in_(names)) if names else []
    return {org for (org,) in rows if org}


def save_image(data: dict[str, Any]) -> None:
    """Stores ``data["image_upload"]`` with CKAN's uploader (served at
    ``/uploads/showcase/<file>``) and sets ``data["image_url"]`` to its address."""
    upload = uploader.get_uploader("showcase")
    upload.update_data_dict(data, "image_url", "image_upload", "clear_upload")
    upload.upload(tk.config.get("ckan.max_image_size"))
    if data.get("image_url"):
        data["image_url"] = tk.config.get("ckan.site_url").rstrip("/") + "/uploads/showcase/" + data["image_url"]
