"""Harvested records become the portal's open data (``dataset`` records its schema
accepts), each in its institution (``harvest_mapping``): the CKAN harvester of
ckanext-harvest, extended (``transparency_ckan_harvester``, source type ``ckan``),
and ckanext-dcat's DCAT harvester through its hooks (``transparency_dcat_harvest``)."""
from __future__ import annotations

import json
from typing import Any

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
        (org.id for org in map(model.Group.get, harvest_mapping.institution_candidates(
            remote, settings.get("institutions", {})))
         if org is not None and org.is_organization and org.state == "active"),
        model.Package.get(source.id).owner_org)
    return dataset


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
        harvest_mapping.source_settings(config)
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
