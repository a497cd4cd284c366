"""Harvested records become the portal's open data (``dataset`` records its schema
accepts), each in its institution (``harvest_mapping``): the CKAN harvester of
ckanext-harvest, extended (``transparency_ckan_harvester``, source type ``ckan``),
and ckanext-dcat's DCAT harvester through its hooks (``transparency_dcat_harvest``)."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester
from ckanext.harvest.interfaces import IHarvester

from . import choices, harvest_mapping


def complete(dataset: dict[str, Any], source: Any) -> dict[str, Any]:
    """``dataset`` as a ``dataset`` record of the portal, harvested by ``source``: its theme
    (one of the portal's, or the source's default) and its institution; the remote's free
    extras that are fields of our schema are dropped (their values are not our choices)."""
    settings = harvest_mapping.source_settings(source.config)
    extras = {extra["key"]: extra["value"] for extra in dataset.get("extras") or []}
    fields = {field["field_name"] for field in tk.h.scheming_get_dataset_schema("dataset")["dataset_fields"]}
    dataset["type"] = "dataset"
    dataset["theme"] = harvest_mapping.theme(
        _values(dataset.get("theme")) + _values(extras.get("theme")),
        choices.values("dataset", "theme"), settings.get("theme"))
    dataset["extras"] = [{"key": k, "value": v} for k, v in extras.items() if k not in fields]
    organization = dataset.pop("organization", None) or {}
    remote = [organization.get("name"), organization.get("title"),
              (extras.get("publisher_uri") or "").rstrip("/").rsplit("/", 1)[-1], extras.get("publisher_name")]
    dataset["owner_org"] = next(
        filter(None, map(_institution, harvest_mapping.institution_candidates(remote, settings.get("institutions", {})))),
        model.Package.get(source.id).owner_org)
    return dataset


def _institution(name: str) -> str | None:
    """The id of the active institution of that name, or else of that title (a DCAT
    publisher's name is its title), whatever the case."""
    institutions = model.Session.query(model.Group.id).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    return (institutions.filter(model.Group.name == name).scalar()
            or institutions.filter(sa.func.lower(model.Group.title) == name.lower()).limit(1).scalar())


def run_due() -> None:
    """What ``ckan harvester run`` does (``transparency periodic`` calls it): the jobs of the
    sources due by their frequency are queued for the harvest consumers, finished jobs closed."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    tk.get_action("harvest_jobs_run")({"user": site_user["name"]}, {})


def _values(value: Any) -> list[str]:
    """A field's values: a string, a JSON list in a string (ckanext-dcat's extras) or a list."""
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


class TransparencyCKANHarvester(CKANHarvester):
    """ckanext-harvest's CKAN harvester, its records completed for the portal."""
    p.implements(IHarvester)

    def validate_config(self, config: str | None) -> str | None:
        try:
            harvest_mapping.source_settings(config)
        except ValueError as error:
            raise ValueError(tk._(str(error))) from error
        return super().validate_config(config)

    def modify_package_dict(self, package_dict: dict[str, Any], harvest_object: Any) -> dict[str, Any]:
        return complete(package_dict, harvest_object.source)


class TransparencyDCATHarvestPlugin(p.SingletonPlugin):
    """ckanext-dcat's DCAT harvester, its records completed for the portal."""
    p.implements(IDCATRDFHarvester, inherit=True)

    def before_create(self, harvest_object: Any, dataset_dict: dict[str, Any], temp_dict: dict[str, Any]) -> None:
        complete(dataset_dict, harvest_object.source)

    def before_update(self, harvest_object: Any, dataset_dict: dict[str, Any], temp_dict: dict[str, Any]) -> None:
        complete(dataset_dict, harvest_object.source)
